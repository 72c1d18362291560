import http from 'node:http';
import https from 'node:https';
import type { RequestJson } from '../wire/request.js';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1), which a forwarder must not pass on, and the framing the
 * new request sets itself (host, length). Everything else goes out as captured: order, case and
 * duplicates, so a signature over the body and headers still verifies at the receiver.
 */
const NOT_FORWARDED = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Where a captured request goes: the path and query it had below the bin are appended to the
 * forward URL (`/b/<bin>/orders?x=1` with `--forward http://localhost:3000/hooks` goes to
 * `http://localhost:3000/hooks/orders?x=1`; the bin URL itself goes to the forward URL as given).
 */
export function forwardUrl(base: URL, request: Pick<RequestJson, 'path' | 'query'>): URL {
  const target = new URL(base);
  if (request.path !== '/' && request.path !== '') {
    target.pathname = `${target.pathname.replace(/\/+$/, '')}${request.path}`;
  }
  if (request.query !== '') {
    target.search =
      target.search === '' ? request.query : `${target.search.slice(1)}&${request.query}`;
  }
  return target;
}

/** The captured headers to send on, as node:http's flat raw list. */
export function forwardedHeaders(headers: ReadonlyArray<[string, string]>): string[] {
  // Headers named in Connection are hop-by-hop too.
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  return headers
    .filter(([name]) => !NOT_FORWARDED.has(name.toLowerCase()) && !named.has(name.toLowerCase()))
    .flat();
}

export type ForwardResult =
  { ok: true; status: number; ms: number } | { ok: false; error: string; ms: number };

/** Sends the captured request (method, headers, exact body bytes) to `target`. */
export function forward(
  target: URL,
  request: RequestJson,
  timeoutMs = 30_000,
): Promise<ForwardResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const body = Buffer.from(request.body_base64, 'base64');
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    // Given a raw list, node:http adds no header of its own: the framing goes in explicitly.
    const framing =
      body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method)
        ? ['Content-Length', String(body.length)]
        : [];
    const req = client.request(target, {
      method: request.method,
      headers: ['Host', target.host, ...forwardedHeaders(request.headers), ...framing],
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      res.resume(); // the answer's body is not shown: drain it so the socket is freed
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, ms: ms() }));
      res.on('error', (error) => resolve({ ok: false, error: error.message, ms: ms() }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: error.code ?? error.message, ms: ms() }),
    );
    req.end(body.length > 0 ? body : undefined);
  });
}
