import type { ReceiveIssue } from './types.js';

/** The default limit: the plugin's payloads are a few KB; this leaves room for add-ons. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The body is longer than `maxBodyBytes`: answer 413 and do not process it. */
export class WebhookBodyTooLargeError extends Error {
  override readonly name = 'WebhookBodyTooLargeError';
  /** The HTTP status to answer with. */
  readonly status = 413;
  constructor(readonly limit: number) {
    super(
      `The webhook body is longer than ${limit} bytes; raise maxBodyBytes if such payloads are expected.`,
    );
  }
}

/** The limit asked for, checked: a mistake here would silently accept everything or nothing. */
export function bodyLimit(maxBodyBytes: number | undefined): number {
  const limit = maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`maxBodyBytes must be a whole number of bytes (got ${String(limit)}).`);
  }
  return limit;
}

/**
 * The exact bytes (or text) to verify. Anything else means the framework already parsed the
 * body, and the bytes the signature covers are gone: say how to keep them.
 */
export function exactBody(body: unknown): Uint8Array | string {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  const got = body === undefined ? 'undefined' : body === null ? 'null' : `a ${typeof body}`;
  throw new TypeError(
    `body must be the exact bytes received (Uint8Array, Buffer, ArrayBuffer or string), got ${got}. ` +
      "Read the raw body (express: express.raw({ type: '*/*' }); fetch: await request.arrayBuffer()), " +
      'not a parsed object: JSON serialized again no longer matches the signature.',
  );
}

export function byteLength(body: Uint8Array | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ReadBody = { ok: true; value: unknown } | { ok: false; issue: ReceiveIssue };

function bodyIssue(code: 'encoding' | 'json', message: string): ReadBody {
  return { ok: false, issue: { path: '', code, severity: 'error', message } };
}

/** The body as JSON: UTF-8 text (a BOM is dropped), then JSON.parse. */
export function readJson(body: Uint8Array | string): ReadBody {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch {
      return bodyIssue(
        'encoding',
        'The body is not UTF-8 text, so it cannot be JSON; the plugin always sends UTF-8 JSON.',
      );
    }
  }
  if (text.trim() === '')
    return bodyIssue('json', 'The body is empty; the plugin sends a JSON object.');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return bodyIssue('json', `The body is not JSON (${reason}); the plugin sends a JSON object.`);
  }
}
