// One HTTP request/response: raw response headers in order, and a response body read only up to
// a byte bound (then the request is aborted, not drained). Two transports: undici's dispatch API
// (pooled, the standard profile) and node:http with the header lines given as a raw list (the
// plugin profile: undici rewrites the case and order of host, connection and content-length).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { classifyError, type ClassifiedError } from './network-errors.js';
import type { AttemptRequest, ExchangeResult } from './types.js';

export interface ExchangeLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

/** Framing lines undici writes itself; the request records them, undici must not get them. */
const FRAMING = new Set(['host', 'connection', 'content-length']);

function toText(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

function pairsOf(
  raw: unknown,
  parsed: Record<string, string | string[] | undefined>,
): Array<[string, string]> {
  if (Array.isArray(raw)) {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      pairs.push([toText(raw[i] as Buffer | string), toText(raw[i + 1] as Buffer | string)]);
    }
    return pairs;
  }
  // A dispatcher wrapped by interceptors may not expose raw headers: keep what it parsed.
  return Object.entries(parsed).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(
      (item): [string, string] => [name, item],
    ),
  );
}

/** The longest prefix of at most `max` bytes that does not split a UTF-8 character. */
function utf8Prefix(bytes: Buffer, max: number): string {
  if (bytes.length <= max) return bytes.toString('utf8');
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

function decoderFor(
  encoding: string | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined; // identity, zstd (not in Node 20), or stacked encodings: kept as received
  }
}

/** Collects at most `max` bytes and says when it has seen more. */
class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;
  constructor(private readonly max: number) {}
  /** Returns false once the bound is exceeded. */
  push(chunk: Buffer): boolean {
    if (this.overflowed) return false;
    const room = this.max + 1 - this.size; // keep one extra byte to know the body went on
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(chunk.length, room);
    this.overflowed = this.size > this.max;
    return !this.overflowed;
  }
  text(): string {
    if (this.chunks.length === 0) return '';
    return utf8Prefix(
      this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks),
      this.max,
    );
  }
}

/**
 * The request body as bytes. The deliveries of one fire send the same body text one after the
 * other: its bytes are made once (undici only writes them), not once per delivery.
 */
let lastBody: { text: string; bytes: Buffer } | undefined;
function bodyBytes(text: string): Buffer {
  if (lastBody?.text !== text) lastBody = { text, bytes: Buffer.from(text, 'utf8') };
  return lastBody.bytes;
}

/** `url` is `request.url` already parsed, when the caller has it. */
export function exchange(
  dispatcher: Dispatcher,
  request: AttemptRequest,
  limits: ExchangeLimits,
  url = new URL(request.url),
): Promise<ExchangeResult> {
  let connection: string | undefined;
  const headers: string[] = [];
  for (const [name, value] of request.headers) {
    if (!FRAMING.has(name)) headers.push(name, value);
    else if (name === 'connection') connection ??= value;
  }

  return new Promise<ExchangeResult>((resolve) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let stopReason: 'truncated' | 'timeout' | 'aborted' | undefined;
    let result: ExchangeResult = {};
    const raw = new BoundedBuffer(limits.maxResponseBytes);
    let decoded: BoundedBuffer | undefined;
    let decoder: ReturnType<typeof decoderFor>;
    let decodeFailed = false;

    // Completes `result` in place (once settled, the handler only ever replaces it): no copies.
    const finish = (error?: ClassifiedError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      decoder?.destroy();
      const body = decodeFailed || !decoded ? raw : decoded;
      if (result.status !== undefined) {
        result.body = body.text();
        result.truncated = body.overflowed || stopReason === 'truncated';
      }
      if (error) result.error = error;
      resolve(result);
    };
    const stop = (reason: 'truncated' | 'timeout' | 'aborted', error?: ClassifiedError) => {
      stopReason ??= reason;
      // Record first: aborting can call onResponseError synchronously.
      finish(error);
      controller?.abort(new Error(`attempt stopped: ${reason}`));
    };

    const timer = setTimeout(
      () =>
        stop('timeout', {
          kind: 'timeout',
          message: `Timed out: no complete response within ${limits.timeoutMs} ms.`,
        }),
      limits.timeoutMs,
    );
    const onAbort = () => stop('aborted', { kind: 'other', message: 'Aborted by the caller.' });
    if (limits.signal?.aborted) return onAbort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (settled) ctrl.abort(new Error('attempt already finished'));
      },
      onResponseStart(ctrl, statusCode, parsed) {
        result = { status: statusCode, headers: pairsOf(ctrl.rawHeaders, parsed) };
        const encoding = parsed['content-encoding'];
        decoder = decoderFor(Array.isArray(encoding) ? undefined : encoding);
        if (decoder) {
          decoded = new BoundedBuffer(limits.maxResponseBytes);
          decoder.on('data', (chunk: Buffer) => {
            if (!decoded!.push(chunk)) stop('truncated');
          });
          decoder.on('error', () => {
            decodeFailed = true; // not really compressed: keep the bytes as received
          });
        }
      },
      onResponseData(_ctrl, chunk) {
        raw.push(chunk);
        if (decoder && !decodeFailed) decoder.write(chunk);
        else if (raw.overflowed) stop('truncated');
      },
      onResponseEnd() {
        if (!decoder || decodeFailed) return finish();
        decoder.once('end', () => finish());
        decoder.once('error', () => finish());
        decoder.end();
      },
      onResponseError(_ctrl, error) {
        if (stopReason) return finish();
        finish(classifyError(error));
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers,
          body: bodyBytes(request.body),
          reset: connection === 'close',
          // The attempt's own timer bounds everything; undici's would only race it.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        handler,
      );
    } catch (error) {
      finish(classifyError(error));
    }
  });
}

/** What exchangeOverWire sends: any method, the header lines as given, text or raw bytes. */
export interface WireRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | Uint8Array;
}

export interface WireLimits extends ExchangeLimits {
  connectTimeoutMs: number;
  /** How long to wait for `100 Continue` when the request says `Expect: 100-Continue`. */
  expectContinueMs: number;
  lookup?: LookupFunction;
}

/**
 * Writes `request.headers` exactly as listed (node:http sends a raw header list as given and adds
 * nothing when it already holds Host, Connection and Content-Length), on a connection of its
 * own, like a fresh cURL handle.
 */
export function exchangeOverWire(
  request: WireRequest,
  limits: WireLimits,
): Promise<ExchangeResult> {
  const url = new URL(request.url);
  const body =
    typeof request.body === 'string'
      ? Buffer.from(request.body, 'utf8')
      : Buffer.from(request.body);
  const expectContinue = request.headers.some(
    ([name, value]) => name.toLowerCase() === 'expect' && /^100-continue$/i.test(value),
  );

  return new Promise<ExchangeResult>((resolve) => {
    let settled = false;
    let stopReason: 'truncated' | 'timeout' | 'aborted' | undefined;
    let result: ExchangeResult = {};
    const raw = new BoundedBuffer(limits.maxResponseBytes);
    let decoded: BoundedBuffer | undefined;
    let decoder: ReturnType<typeof decoderFor>;
    let decodeFailed = false;
    let continueTimer: NodeJS.Timeout | undefined;

    const finish = (extra: Partial<ExchangeResult> = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      clearTimeout(continueTimer);
      limits.signal?.removeEventListener('abort', onAbort);
      decoder?.destroy();
      const text = decodeFailed || !decoded ? raw : decoded;
      if (result.status !== undefined) {
        result = {
          ...result,
          body: text.text(),
          truncated: text.overflowed || stopReason === 'truncated',
        };
      }
      resolve({ ...result, ...extra });
      req?.destroy();
    };
    const stop = (reason: 'truncated' | 'timeout' | 'aborted', error?: ClassifiedError) => {
      stopReason ??= reason;
      finish(error ? { error } : {});
    };

    const timer = setTimeout(
      () =>
        stop('timeout', {
          kind: 'timeout',
          message: `Timed out: no complete response within ${limits.timeoutMs} ms.`,
        }),
      limits.timeoutMs,
    );
    const connectTimer = setTimeout(
      () =>
        stop('timeout', {
          kind: 'timeout',
          code: 'ETIMEDOUT',
          message: `Timed out: could not connect within ${limits.connectTimeoutMs} ms.`,
        }),
      limits.connectTimeoutMs,
    );
    const onAbort = () => stop('aborted', { kind: 'other', message: 'Aborted by the caller.' });
    let req: http.ClientRequest | undefined;
    if (limits.signal?.aborted) return onAbort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    const onResponse = (res: http.IncomingMessage) => {
      clearTimeout(continueTimer); // a final answer before `100 Continue`: cURL sends no body
      result = { status: res.statusCode ?? 0, headers: pairsOf(res.rawHeaders, {}) };
      const encoding = res.headers['content-encoding'];
      decoder = decoderFor(encoding);
      if (decoder) {
        decoded = new BoundedBuffer(limits.maxResponseBytes);
        decoder.on('data', (chunk: Buffer) => {
          if (!decoded!.push(chunk)) stop('truncated');
        });
        decoder.on('error', () => {
          decodeFailed = true; // not really compressed: keep the bytes as received
        });
      }
      res.on('data', (chunk: Buffer) => {
        raw.push(chunk);
        if (decoder && !decodeFailed) decoder.write(chunk);
        else if (raw.overflowed) stop('truncated');
      });
      res.on('end', () => {
        if (!decoder || decodeFailed) return finish();
        decoder.once('end', () => finish());
        decoder.once('error', () => finish());
        decoder.end();
      });
      res.on('error', (error) => finish({ error: classifyError(error) }));
    };

    try {
      const options: http.RequestOptions = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers.flat(),
        setHost: false,
        agent: false,
        ...(limits.lookup ? { lookup: limits.lookup } : {}),
      };
      req = (url.protocol === 'https:' ? https : http).request(options, onResponse);
    } catch (error) {
      return finish({ error: classifyError(error) });
    }
    req.on('error', (error) => {
      if (!stopReason) finish({ error: classifyError(error) });
    });
    req.on('socket', (socket: Socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () =>
        clearTimeout(connectTimer),
      );
    });
    if (!expectContinue) {
      req.end(body);
      return;
    }
    // cURL sends the body on `100 Continue`, or after waiting a second for it.
    let sent = false;
    const sendBody = () => {
      if (sent || settled) return;
      sent = true;
      clearTimeout(continueTimer);
      req?.end(body);
    };
    req.on('continue', sendBody);
    req.once('socket', (socket: Socket) =>
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        continueTimer = setTimeout(sendBody, limits.expectContinueMs);
      }),
    );
    req.flushHeaders();
  });
}
