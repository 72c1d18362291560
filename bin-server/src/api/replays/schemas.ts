import { z } from 'zod';
import { JSON_BODY_LIMIT } from '../http/json-body.js';

/** RFC 9110 token characters (methods and header names). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What node:http accepts in a header value: no CR, LF, NUL or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MAX_URL = 2048;
const MAX_REPLAY_HEADERS = 200;

const targetUrl = z
  .string({
    error: 'must be a string: where to send the request, e.g. http://localhost:3000/webhooks',
  })
  .max(MAX_URL, { error: `must be at most ${MAX_URL} characters` })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: 'must be an absolute http:// or https:// URL, e.g. http://localhost:3000/webhooks' },
  )
  .describe(
    'Where to send it. The path and query the request had below the bin are appended (as `tail --forward` does), unless `path` replaces them.',
  );

const header = z.tuple([
  z
    .string({ error: 'must be a string' })
    .max(256, { error: 'must be at most 256 characters' })
    .regex(TOKEN, { error: "is not a header name (letters, digits and !#$%&'*+.^_`|~-)" }),
  z
    .string({ error: 'must be a string' })
    .max(8192, { error: 'must be at most 8192 characters' })
    .regex(HEADER_VALUE, { error: 'must not contain line breaks or control characters' }),
]);

/** POST /api/bins/:id/requests/:rid/replay */
export const replayInput = z
  .strictObject({
    url: targetUrl,
    method: z
      .string({ error: 'must be a string' })
      .max(32, { error: 'must be at most 32 characters' })
      .regex(TOKEN, { error: 'must be an HTTP method, e.g. POST' })
      .optional()
      .describe('Send with this method instead of the captured one.'),
    path: z
      .string({ error: 'must be a string' })
      .max(MAX_URL, { error: `must be at most ${MAX_URL} characters` })
      .regex(/^\/[^\s#]*$/, {
        error: 'must start with "/" and hold no spaces or "#", e.g. /orders?x=1',
      })
      .optional()
      .describe(
        'Path and query below `url`, replacing the captured ones (`/` sends to `url` as given).',
      ),
    headers: z
      .array(header, { error: 'must be a list of [name, value] pairs' })
      .max(MAX_REPLAY_HEADERS, { error: `must hold at most ${MAX_REPLAY_HEADERS} headers` })
      .optional()
      .describe(
        'Replace the captured headers (all of them, in this order). Host, Content-Length and hop-by-hop headers are set for the target, whatever is given.',
      ),
    body: z
      .string({ error: 'must be a string' })
      .optional()
      .describe(
        `Replace the body (the JSON input is at most ${JSON_BODY_LIMIT / 1024} KiB). An edited body no longer matches the request's signature headers: the answer says so.`,
      ),
    body_encoding: z
      .enum(['utf8', 'base64'], { error: 'must be "utf8" or "base64"' })
      .default('utf8')
      .describe('How `body` is written: text (sent as UTF-8) or base64 bytes.'),
  })
  .refine(
    (input) => input.body_encoding !== 'base64' || input.body === undefined || isBase64(input.body),
    {
      error: 'must be base64 (A-Z, a-z, 0-9, +, /, = padding) when body_encoding is "base64"',
      path: ['body'],
    },
  );
export type ReplayInput = z.output<typeof replayInput>;

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}
