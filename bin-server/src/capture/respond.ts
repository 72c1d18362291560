import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BinResponse } from '../store/types.js';

/** Browser senders may read our answer and its request id. */
const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-request-id',
};

/**
 * On every capture answer, whatever the bin is configured to send: a capture URL shares the UI's
 * origin, so an HTML answer opened in a browser must not run as that origin (it could read /api).
 * `sandbox` gives the document an opaque origin and no scripts; `nosniff` stops a browser from
 * guessing HTML out of another type.
 */
export const CAPTURE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': 'sandbox',
  'x-content-type-options': 'nosniff',
};

/**
 * Headers the server owns: a bin's custom response cannot break the HTTP framing with them, nor
 * loosen the capture answer's security headers. A custom Content-Security-Policy is sent beside
 * ours (browsers enforce every policy, so it can only add restrictions); a custom
 * X-Content-Type-Options is replaced by `nosniff`, its only value.
 */
const RESERVED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'x-request-id',
  'x-content-type-options',
]);

export const STORE_UNAVAILABLE =
  'The request could not be stored, so it was not captured. Retry; if it keeps failing, check the server log and the data file.';

export function binNotFoundMessage(binId: string): string {
  return `No bin "${binId}" here. Create one in the UI or with POST /api/bins {"id":"${binId}"}.`;
}

export function tooLargeMessage(limit: number): string {
  return `The body is larger than this server's limit of ${limit} bytes; nothing was stored. Send less, or restart the server with a larger --body-limit.`;
}

/** An answer as data, for captures made in process (no socket to write to). */
export interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** The JSON answers of sendJson, as data. */
export function jsonAnswer(status: number, payload: object, requestId?: string): Answer {
  const body = Buffer.from(JSON.stringify(payload));
  const headers: Array<[string, string]> = [
    ...Object.entries(CORS_HEADERS),
    ...Object.entries(CAPTURE_SECURITY_HEADERS),
    ['content-type', 'application/json; charset=utf-8'],
    ['content-length', String(body.length)],
    ['cache-control', 'no-store'],
  ];
  if (requestId) headers.push(['x-request-id', requestId]);
  return { status, headers, body };
}

export function defaultAnswer(requestId: string, binId: string): Answer {
  return jsonAnswer(200, defaultPayload(requestId, binId), requestId);
}

function defaultPayload(requestId: string, binId: string): object {
  return { ok: true, id: requestId, bin: binId, message: 'Captured by umhooks' };
}

/** sendCustom's answer, as data: the same reserved names are skipped. */
export function customAnswer(response: BinResponse, requestId: string): Answer {
  const headers: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) continue;
    headers.push([name, value]);
    seen.add(lower);
  }
  for (const [name, value] of Object.entries(CORS_HEADERS)) {
    if (!seen.has(name)) headers.push([name, value]);
  }
  headers.push(...Object.entries(CAPTURE_SECURITY_HEADERS));
  headers.push(['x-request-id', requestId]);
  const status = response.status;
  if (status < 200 || status === 204 || status === 304) {
    return { status, headers, body: Buffer.alloc(0) };
  }
  const body = Buffer.from(response.body, 'utf8');
  headers.push(['content-length', String(body.length)]);
  return { status, headers, body };
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: object,
  options: { close?: boolean; requestId?: string } = {},
): void {
  const body = JSON.stringify(payload);
  const headers: Record<string, string | number> = {
    ...CORS_HEADERS,
    ...CAPTURE_SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  };
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (options.close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

/** Errors are JSON `{error, message}`; the message says what to do. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  close = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error, message }, { close });
}

export function sendDefault(res: ServerResponse, requestId: string, binId: string): void {
  sendJson(res, 200, defaultPayload(requestId, binId), { requestId });
}

/** True for a CORS preflight: OPTIONS with Access-Control-Request-Method. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** Allows whatever the browser asks for, so browser senders can post to a bin. */
export function preflightAnswer(
  requestMethod: string | undefined,
  requestHeaders: string | undefined,
  requestId: string,
): Answer {
  const headers: Array<[string, string]> = [
    ...Object.entries(CORS_HEADERS),
    ...Object.entries(CAPTURE_SECURITY_HEADERS),
    ['access-control-allow-methods', requestMethod ?? 'GET, POST, PUT, PATCH, DELETE, OPTIONS'],
    ['access-control-max-age', '86400'],
    ['x-request-id', requestId],
    ['content-length', '0'],
  ];
  if (requestHeaders) headers.push(['access-control-allow-headers', requestHeaders]);
  return { status: 204, headers, body: Buffer.alloc(0) };
}

export function sendPreflight(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const answer = preflightAnswer(
    req.headers['access-control-request-method'],
    req.headers['access-control-request-headers'],
    requestId,
  );
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end();
}

/** The bin's configured answer; invalid header names or values are skipped, never fatal. */
export function sendCustom(res: ServerResponse, response: BinResponse, requestId: string): void {
  const seen = new Set<string>();
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) continue;
    try {
      if (seen.has(lower)) res.appendHeader(name, value);
      else res.setHeader(name, value);
      seen.add(lower);
    } catch {
      // Not a valid header: the API validates, this only guards older stored settings.
    }
  }
  for (const [name, value] of Object.entries(CORS_HEADERS)) {
    if (!seen.has(name)) res.setHeader(name, value);
  }
  for (const [name, value] of Object.entries(CAPTURE_SECURITY_HEADERS)) {
    if (seen.has(name)) res.appendHeader(name, value);
    else res.setHeader(name, value);
  }
  res.setHeader('x-request-id', requestId);
  const status = response.status;
  // 1xx, 204 and 304 answers have no body by definition.
  if (status < 200 || status === 204 || status === 304) {
    res.writeHead(status);
    res.end();
    return;
  }
  const body = Buffer.from(response.body, 'utf8');
  res.setHeader('content-length', body.length);
  res.writeHead(status);
  res.end(body);
}
