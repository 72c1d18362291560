import { z } from 'zod';

// Pieces the wire shapes share.

export const isoDate = z.iso.datetime().describe('ISO 8601 date-time, UTC.');

/** An HTTP header line as `[name, value]`. */
export const headerPair = z.tuple([z.string(), z.string()]);

/** A header line as received or configured. */
export const headerLine = headerPair.describe(
  '[name, value] with the original case; duplicates are kept as separate pairs.',
);

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What node:http accepts in a header value: no CR, LF, NUL or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** The server sets these itself: a custom value would break the framing or the request id. */
const RESERVED_HEADERS = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'x-request-id',
]);

export const headerName = z
  .string({ error: 'must be a string' })
  .max(256, { error: 'must be at most 256 characters' })
  .regex(HEADER_NAME, {
    error: "must be a valid header name (letters, digits and !#$%&'*+-.^_`|~)",
  })
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), {
    error: 'is set by the server itself (framing or x-request-id); choose another header',
  });

export const headerValue = z
  .string({ error: 'must be a string' })
  .max(4096, { error: 'must be at most 4096 characters' })
  .regex(HEADER_VALUE, {
    error: 'must not contain CR, LF or other control characters (nor characters beyond U+00FF)',
  });
