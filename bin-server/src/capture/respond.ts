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

export function sendJson(
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
  sendJson(
    res,
    200,
    { ok: true, id: requestId, bin: binId, message: 'Captured by umhooks' },
    { requestId },
  );
}

/** True for a CORS preflight: OPTIONS with Access-Control-Request-Method. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** Allows whatever the browser asks for, so browser senders can post to a bin. */
export function sendPreflight(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    ...CAPTURE_SECURITY_HEADERS,
    'access-control-allow-methods':
      req.headers['access-control-request-method'] ?? 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-max-age': '86400',
    'x-request-id': requestId,
    'content-length': '0',
  };
  const askedHeaders = req.headers['access-control-request-headers'];
  if (askedHeaders) headers['access-control-allow-headers'] = askedHeaders;
  res.writeHead(204, headers);
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
