import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { ForwardSettlement } from '../store/types.js';
import {
  MAX_FORWARDED_HEADER_BYTES,
  MAX_FORWARDED_HEADERS,
  MAX_RESPONSE_BODY_BYTES,
} from './limits.js';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) and the framing: they belonged to the app's connection
 * with the forwarder; the bin's connection with the sender frames the answer itself.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The forwarder's `answer` message for one request, as sent over /ws (unchecked). */
export interface AnswerMessage {
  request_id?: unknown;
  status?: unknown;
  status_text?: unknown;
  headers?: unknown;
  body_base64?: unknown;
  error?: unknown;
  app_ms?: unknown;
}

function isHeaderList(value: unknown): value is Array<[string, string]> {
  return (
    Array.isArray(value) &&
    value.every(
      (pair) =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === 'string' &&
        typeof pair[1] === 'string',
    )
  );
}

function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** The app's end-to-end headers: hop-by-hop ones and those its Connection header names dropped. */
function endToEnd(headers: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  return headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return !HOP_BY_HOP.has(lower) && !named.has(lower);
  });
}

/**
 * How a forwarder's answer settles its held request: `answered` with the app's status, headers
 * and bytes when they are within a bin answer's bounds, else `failed` with what was wrong (the
 * bin then answers as configured).
 */
export function settlementOf(message: AnswerMessage, at: number): ForwardSettlement {
  const appMs =
    typeof message.app_ms === 'number' && Number.isFinite(message.app_ms) && message.app_ms >= 0
      ? Math.round(message.app_ms)
      : 0;
  const failed = (reason: string): ForwardSettlement => ({
    outcome: 'failed',
    at,
    reason: reason.slice(0, 500),
    appMs,
  });
  if (message.error !== undefined) {
    return failed(`the forwarder got no answer from the app: ${String(message.error)}`);
  }
  const { status, headers, body_base64: body } = message;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return failed(`the app answered with status ${String(status)}; a bin answers 200 to 599`);
  }
  if (!isHeaderList(headers) || typeof body !== 'string') {
    return failed('the forwarder sent an answer without headers or body_base64');
  }
  const kept = endToEnd(headers);
  const bytes = kept.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  if (kept.length > MAX_FORWARDED_HEADERS || bytes > MAX_FORWARDED_HEADER_BYTES) {
    return failed(
      `the app's answer has ${kept.length} header lines (${bytes} bytes); a bin passes on at most ${MAX_FORWARDED_HEADERS} (${MAX_FORWARDED_HEADER_BYTES} bytes)`,
    );
  }
  const bad = kept.find(([name, value]) => !validHeader(name, value));
  if (bad) return failed(`the app's header ${JSON.stringify(bad[0])} is not a valid header line`);
  const decoded = Buffer.from(body, 'base64');
  if (decoded.length > MAX_RESPONSE_BODY_BYTES) {
    return failed(
      `the app's answer body has ${decoded.length} bytes; a bin answers with at most ${MAX_RESPONSE_BODY_BYTES}`,
    );
  }
  const text = typeof message.status_text === 'string' ? message.status_text : '';
  return {
    outcome: 'answered',
    at,
    appMs,
    answer: {
      status,
      // A reason phrase is visible text only: tab, space and printable characters (RFC 9112).
      statusText: /^[\t\x20-\x7e\x80-\xff]{0,200}$/.test(text) ? text : '',
      headers: kept,
      body: new Uint8Array(decoded),
    },
  };
}
