// Sending a captured HTTP request again (a replay, `tail --forward`): the same method, the
// end-to-end headers as captured (order, case, duplicates) and the exact body bytes, so a
// signature over them still verifies at the new target. One implementation for the CLI, which
// sends from the user's machine, and the server, which sends for the UI and the API.
import { sendRaw } from './send-raw.js';
import type { DeliveryErrorKind, ExchangeResult } from './types.js';

/** The parts of a captured request a replay sends. */
export interface CapturedHttpRequest {
  method: string;
  /** Path below the capture URL (`/orders/7`), `/` or `` for none. */
  path: string;
  /** Raw query string without `?`, `` for none. */
  query: string;
  /** As captured: [name, value] in order, case and duplicates kept. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array;
}

/** Exactly what a replay writes on the wire. */
export interface ReplayRequest {
  method: string;
  url: string;
  /** Every header line sent, in order: Host first, the framing (length, connection) last. */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export interface ReplayAttempt {
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  request: ReplayRequest;
  status?: number;
  responseHeaders?: Array<[string, string]>;
  /** At most `maxResponseBytes` of the answer as UTF-8 text (compression removed). */
  responseBody?: string;
  responseTruncated?: boolean;
  error?: { kind: DeliveryErrorKind; message: string; code?: string };
}

export interface ReplayOptions {
  /** Bound of the whole exchange (default 30 s). */
  timeoutMs?: number;
  /** Bound of the kept answer (default 64 KiB, as for deliveries). */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export const REPLAY_TIMEOUT_MS = 30_000;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1), which a forwarder must not pass on, and the framing the
 * new request sets itself (host, length, expectation).
 */
const NOT_REPLAYED = new Set([
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

/** Methods that carry no body unless one is given (no `Content-Length: 0` for them). */
const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Where a captured request goes: its path and query below the capture URL are appended to the
 * target (`/b/<bin>/orders?x=1` replayed to `http://localhost:3000/hooks` goes to
 * `http://localhost:3000/hooks/orders?x=1`; the bin URL itself goes to the target as given).
 */
export function replayUrl(target: URL | string, request: { path: string; query: string }): URL {
  const url = new URL(target);
  if (request.path !== '/' && request.path !== '') {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${request.path}`;
  }
  if (request.query !== '') {
    url.search = url.search === '' ? request.query : `${url.search.slice(1)}&${request.query}`;
  }
  return url;
}

/** The captured headers a replay sends on: all but hop-by-hop ones and those Connection names. */
export function replayedHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  return headers
    .filter(([name]) => !NOT_REPLAYED.has(name.toLowerCase()) && !named.has(name.toLowerCase()))
    .map(([name, value]): [string, string] => [name, value]);
}

/**
 * The request a replay of `captured` to `target` writes: `Host` of the target, the captured
 * end-to-end headers, the exact body with its length, and `Connection: close` (each replay
 * uses a connection of its own; listing it keeps the recorded lines equal to the sent ones).
 */
export function buildReplay(target: URL | string, captured: CapturedHttpRequest): ReplayRequest {
  const url = replayUrl(target, captured);
  const method = captured.method;
  const length: Array<[string, string]> =
    captured.body.byteLength > 0 || !BODYLESS.has(method.toUpperCase())
      ? [['Content-Length', String(captured.body.byteLength)]]
      : [];
  return {
    method,
    url: url.href,
    headers: [
      ['Host', url.host],
      ...replayedHeaders(captured.headers),
      ...length,
      ['Connection', 'close'],
    ],
    body: captured.body,
  };
}

/** The attempt record of a replay: what was sent, and the answer or the network error. */
export function replayAttempt(
  request: ReplayRequest,
  result: ExchangeResult,
  timing: { startedAt: string; durationMs: number },
): ReplayAttempt {
  const attempt: ReplayAttempt = {
    startedAt: timing.startedAt,
    durationMs: timing.durationMs,
    request,
  };
  if (result.status !== undefined) {
    attempt.status = result.status;
    attempt.responseHeaders = result.headers ?? [];
    attempt.responseBody = result.body ?? '';
    attempt.responseTruncated = result.truncated ?? false;
  }
  if (result.error) attempt.error = result.error;
  return attempt;
}

/**
 * Sends a replay from this process (the CLI) and records what happened. Redirects are not
 * followed (the answer shows them); network problems become an attempt with an error, never a
 * throw. A server sends through its outbound setting instead, with `replayAttempt`.
 */
export async function sendReplay(
  request: ReplayRequest,
  options: ReplayOptions = {},
): Promise<ReplayAttempt> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const result = await sendRaw(request, {
    timeoutMs: options.timeoutMs ?? REPLAY_TIMEOUT_MS,
    ...(options.maxResponseBytes !== undefined
      ? { maxResponseBytes: options.maxResponseBytes }
      : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return replayAttempt(request, result, {
    startedAt,
    durationMs: Math.round(performance.now() - started),
  });
}
