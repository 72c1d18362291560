import type { LookupFunction } from 'node:net';
import {
  createDeliveryAgent,
  deliver,
  sendRaw,
  type AttemptRequest,
  type BlockedHint,
  type DeliverOptions,
  type ExchangeResult,
  type LocalLimits,
  type LocalRoute,
} from '@umhooks/core';
import type { LocalAnswer, LocalCapture, Outbound, OutboundMode, OutboundResult } from './types.js';

export interface OutboundOptions {
  mode: OutboundMode;
  /** Captures a request to one of this server's bins in process. */
  capture: LocalCapture;
  /** Base URLs this server's bins live under (`--public-url`, the listening URL, its aliases). */
  ownBases: () => string[];
  /** Name resolution (`dns.lookup` by default); tests give a resolver of their own. */
  lookup?: LookupFunction;
}

const HINT: BlockedHint = {
  setting: '--outbound public',
  advice:
    'use a public URL, or start the server with --outbound any (only where everyone holding its token may reach this network).',
};

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** The path and query below one of `bases` when `url` is a capture URL there (`…/b/<bin>…`). */
function ownPath(url: URL, bases: string[]): string | undefined {
  for (const text of bases) {
    let base: URL;
    try {
      base = new URL(text);
    } catch {
      continue;
    }
    if (base.protocol !== url.protocol || base.host !== url.host) continue;
    const prefix = base.pathname.replace(/\/+$/, '');
    if (url.pathname.startsWith(`${prefix}/b/`)) {
      return url.pathname.slice(prefix.length) + url.search;
    }
  }
  return undefined;
}

/** The longest prefix of at most `max` bytes that does not split a UTF-8 character. */
function utf8Prefix(bytes: Uint8Array, max: number): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length <= max) return buffer.toString('utf8');
  let end = max;
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
}

function asResult(answer: LocalAnswer, maxResponseBytes: number): ExchangeResult {
  return {
    status: answer.status,
    headers: answer.headers,
    body: utf8Prefix(answer.body, maxResponseBytes),
    truncated: answer.body.length > maxResponseBytes,
  };
}

/**
 * The one place the server's own requests leave it (see types.ts). With `public`, core's
 * private-network guard refuses non-public targets before connecting (literal addresses, and
 * every address a name resolves to, at every redirect hop); this server's capture URLs are
 * captured in process instead, so they never need the network.
 */
export function createOutbound(options: OutboundOptions): Outbound {
  const { mode, capture, lookup } = options;
  const guarded = mode === 'public';
  // The standard profile sends over undici: a pool of our own when guarded or resolving our way.
  type Pool = ReturnType<typeof createDeliveryAgent>;
  let agent: Pool | undefined;
  const pool = (): Pool | undefined => {
    if (!guarded && !lookup) return undefined; // core's shared pool
    return (agent ??= createDeliveryAgent({
      blockPrivateNetworks: guarded,
      blockedHint: HINT,
      ...(lookup ? { lookup } : {}),
    }));
  };

  const isOwn = (url: URL) => ownPath(url, options.ownBases()) !== undefined;

  /** Runs the in-process capture within the exchange's time bound and the caller's signal. */
  async function captureLocally(
    url: URL,
    request: { method: string; headers: Array<[string, string]>; body: Uint8Array },
    limits: LocalLimits,
  ): Promise<ExchangeResult> {
    const path = ownPath(url, options.ownBases())!;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ExchangeResult>((resolve) => {
      timer = setTimeout(() => {
        stop.abort();
        resolve({
          error: {
            kind: 'timeout',
            message: `Timed out: no complete response within ${limits.timeoutMs} ms.`,
          },
        });
      }, limits.timeoutMs);
    });
    try {
      return await Promise.race([
        capture({ ...request, path }, stop.signal).then(
          (answer): ExchangeResult =>
            limits.signal?.aborted
              ? { error: { kind: 'other', message: 'Aborted by the caller.' } }
              : asResult(answer, limits.maxResponseBytes),
          (error: unknown): ExchangeResult => ({
            error: { kind: 'other', message: `The in-process capture failed: ${String(error)}` },
          }),
        ),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    }
  }

  const local: LocalRoute = {
    handles: isOwn,
    exchange: (request: AttemptRequest, limits: LocalLimits) =>
      captureLocally(
        new URL(request.url),
        { method: request.method, headers: request.headers, body: Buffer.from(request.body) },
        limits,
      ),
  };

  function guardOptions(profile: DeliverOptions['profile']): Partial<DeliverOptions> {
    const extra: Partial<DeliverOptions> = guarded
      ? { blockPrivateNetworks: true, blockedHint: HINT, local }
      : {};
    if (profile === 'plugin') return { ...extra, ...(lookup ? { lookup } : {}) };
    const dispatcher = pool();
    return { ...extra, ...(dispatcher ? { dispatcher } : {}) };
  }

  return {
    mode,

    deliver(target, payload, deliverOptions) {
      // Without a guard or resolver there is nothing to add: no copy of the options per send.
      const extra = guardOptions(deliverOptions.profile);
      if (Object.keys(extra).length === 0) return deliver(target, payload, deliverOptions);
      return deliver(target, payload, { ...deliverOptions, ...extra });
    },

    async send(request, sendOptions = {}): Promise<OutboundResult> {
      const startedAt = new Date().toISOString();
      const started = performance.now();
      const headers = [...request.headers];
      const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
      let url: URL | undefined;
      try {
        url = new URL(request.url);
      } catch {
        url = undefined;
      }
      if (url && !has('host')) headers.unshift(['Host', url.host]);
      if (
        !has('content-length') &&
        (request.body.length > 0 || !NO_BODY_METHODS.has(request.method.toUpperCase()))
      ) {
        headers.push(['Content-Length', String(request.body.length)]);
      }
      // What node:http would add itself, made explicit so that sentHeaders is what goes out.
      if (!has('connection')) headers.push(['Connection', 'close']);
      const limits: LocalLimits = {
        timeoutMs: sendOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxResponseBytes: sendOptions.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
      };
      const inProcess = guarded && url !== undefined && isOwn(url);
      const result = inProcess
        ? await captureLocally(
            url!,
            { method: request.method, headers, body: request.body },
            limits,
          )
        : await sendRaw(
            { method: request.method, url: request.url, headers, body: request.body },
            {
              ...limits,
              blockPrivateNetworks: guarded,
              blockedHint: HINT,
              ...(lookup ? { lookup } : {}),
            },
          );
      return {
        ...result,
        startedAt,
        durationMs: Math.round(performance.now() - started),
        sentHeaders: headers,
        inProcess,
      };
    },

    isOwnCaptureUrl(url) {
      try {
        return isOwn(new URL(url));
      } catch {
        return false;
      }
    },

    async close() {
      await agent?.close();
    },
  };
}
