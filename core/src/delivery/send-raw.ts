// A request sent as given (method, header lines in order and case, body bytes), for replaying a
// captured request from a server: the same transport and private-network guard as the plugin
// profile's deliveries, without their payload building. Redirects are not followed.
import net, { type LookupFunction } from 'node:net';
import { exchangeOverWire, type WireRequest } from './http-exchange.js';
import type { ExchangeResult } from './types.js';
import {
  blockedAddressError,
  deliveryLookup,
  isPrivateAddress,
  type BlockedHint,
} from './network-guard.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './deliver.js';

export interface SendRawOptions {
  /** Bound of the whole exchange (default 30 s). */
  timeoutMs?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Bound of the response body read (default 64 KiB). */
  maxResponseBytes?: number;
  signal?: AbortSignal;
  /** Name resolution (`dns.lookup` by default); the guard wraps it. */
  lookup?: LookupFunction;
  /** Refuse private, loopback, link-local and reserved targets, literal or resolved. */
  blockPrivateNetworks?: boolean;
  blockedHint?: BlockedHint;
}

/**
 * Writes `request.headers` exactly as listed (include `Host` and the framing yourself; node:http
 * adds only `Connection: close` when there is no Connection line, as each request has a
 * connection of its own) and `request.body` as is; never throws, a failure is `error`.
 */
export async function sendRaw(
  request: WireRequest,
  options: SendRawOptions = {},
): Promise<ExchangeResult> {
  let url: URL;
  try {
    url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError();
  } catch {
    const message = `"${request.url.slice(0, 200)}" is not an http(s) URL.`;
    return { error: { kind: 'invalid-url', message } };
  }
  const block = options.blockPrivateNetworks ?? false;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Literal IPs never reach a lookup: checked here; names are checked when resolved.
  if (block && net.isIP(host) && isPrivateAddress(host)) {
    const message = blockedAddressError(host, host, options.blockedHint).message;
    return { error: { kind: 'blocked', message } };
  }
  const lookup = deliveryLookup(block, options.lookup, options.blockedHint);
  return exchangeOverWire(request, {
    timeoutMs: options.timeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    expectContinueMs: 1_000,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(lookup ? { lookup } : {}),
  });
}
