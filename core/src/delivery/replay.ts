// Sending a captured HTTP request again (a replay, `tail --forward`): the same method, the
// end-to-end headers as captured (order, case, duplicates) and the exact body bytes, so a
// signature over them still verifies at the new target. One implementation for the CLI, which
// sends from the user's machine, and the server, which sends for the UI and the API.
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { DEFAULT_MAX_RESPONSE_BYTES } from './deliver.js';
import { exchangeOverWire } from './http-exchange.js';
import { blockedAddressError, deliveryLookup, isPrivateAddress } from './network-guard.js';
import type { DeliveryErrorKind } from './types.js';
import { PLUGIN_CONNECT_TIMEOUT_MS } from './wordpress.js';

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
  /** Refuse loopback, private and link-local targets (a shared server's outbound setting). */
  blockPrivateNetworks?: boolean;
  /** Name resolution (`dns.lookup` by default); the private-network guard wraps it. */
  lookup?: LookupFunction;
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

/**
 * Sends a replay and records what happened. Redirects are not followed (the answer shows them);
 * network problems become an attempt with an error, never a throw.
 */
export async function sendReplay(
  request: ReplayRequest,
  options: ReplayOptions = {},
): Promise<ReplayAttempt> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const done = (fields: Partial<ReplayAttempt>): ReplayAttempt => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    request,
    ...fields,
  });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return done({
      error: { kind: 'invalid-url', message: `"${request.url.slice(0, 200)}" is not a URL.` },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const message = `Only http and https URLs can be replayed to (got ${url.protocol.replace(':', '')}).`;
    return done({ error: { kind: 'invalid-url', message } });
  }
  const blockPrivate = options.blockPrivateNetworks ?? false;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Literal IPs never reach a lookup, so the guard checks them here.
  if (blockPrivate && net.isIP(host) && isPrivateAddress(host)) {
    return done({ error: { kind: 'blocked', message: blockedAddressError(host, host).message } });
  }
  const lookup = deliveryLookup(blockPrivate, options.lookup);
  const result = await exchangeOverWire(request, {
    timeoutMs: options.timeoutMs ?? REPLAY_TIMEOUT_MS,
    connectTimeoutMs: PLUGIN_CONNECT_TIMEOUT_MS,
    expectContinueMs: 0,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(lookup ? { lookup } : {}),
  });
  if (result.status === undefined) return done(result.error ? { error: result.error } : {});
  return done({
    status: result.status,
    responseHeaders: result.headers ?? [],
    responseBody: result.body ?? '',
    responseTruncated: result.truncated ?? false,
    ...(result.error ? { error: result.error } : {}),
  });
}
