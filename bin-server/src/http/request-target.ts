import type { IncomingMessage, ServerResponse } from 'node:http';

const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)([^#]*)$/i;

/**
 * The RFC 9112 §3.2 rules node:http leaves to the server, applied before any route sees the
 * request: more than one `Host` line is refused (node keeps the first and drops the others), and
 * an absolute-form target (`POST http://host/b/x HTTP/1.1`) is served as its origin form with its
 * authority as the host, as an origin server must. Returns what was wrong, or undefined.
 */
export function normalizeRequestTarget(req: IncomingMessage): string | undefined {
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return 'The request has more than one Host header; send exactly one.';
  const url = req.url ?? '/';
  if (url.startsWith('/') || url === '*') return undefined;
  const absolute = ABSOLUTE_FORM.exec(url);
  if (!absolute || absolute[1] === '' || absolute[1]!.includes('@')) {
    return `The request target "${url.slice(0, 200)}" is neither a path starting with "/" nor an http(s) URL without user info.`;
  }
  const rest = absolute[2]!;
  req.url = rest.startsWith('/') ? rest : `/${rest}`;
  req.headers.host = absolute[1]!;
  return undefined;
}

/** 400 for a request whose framing or target is invalid; the connection is not reused. */
export function badRequest(res: ServerResponse, message: string): void {
  const body = JSON.stringify({ error: 'bad_request', message });
  res.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}
