import { z } from 'zod';
import { binId } from '../bins/schemas.js';

const MAX_PAGE = 500;
const MAX_WAIT_SECONDS = 60;

const requestId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'is not a request id (e.g. req_AbC…)' });

export const requestPath = z.object({ id: binId, rid: requestId });

const limitMessage = `must be a whole number from 1 to ${MAX_PAGE}`;
const boolMessage = 'must be true or false';

/** Filters shared by the list and the whole-bin HAR export. */
export const requestFilters = z.object({
  q: z
    .string({ error: 'must be given once' })
    .max(1000, { error: 'must be at most 1000 characters' })
    .optional()
    .describe(
      'Case-insensitive text search in the method, path, query (raw and decoded), headers and body.',
    ),
  method: z
    .string({ error: 'must be given once' })
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{0,32}$/, { error: 'must be an HTTP method, e.g. POST' })
    .optional()
    .describe('Only requests with this method (case-insensitive).'),
  event: z
    .string({ error: 'must be given once' })
    .regex(/^[\w.:-]{0,100}$/, { error: 'must be an event id, e.g. payment_received' })
    .optional()
    .describe('Only requests recognised as this event (checked event or a best candidate).'),
});

export const listQuery = requestFilters.extend({
  limit: z.coerce
    .number({ error: limitMessage })
    .int({ error: limitMessage })
    .min(1, { error: limitMessage })
    .max(MAX_PAGE, { error: limitMessage })
    .default(50)
    .describe(`Page size, 1 to ${MAX_PAGE}.`),
  cursor: z
    .string({ error: 'must be given once' })
    .max(200, { error: 'is not a cursor from this API' })
    .optional()
    .describe('`next_cursor` of the previous page, unchanged.'),
  include_body: z
    .enum(['true', 'false', '1', '0'], { error: boolMessage })
    .optional()
    .describe('Include `body_base64` and `body_text` (default true).'),
});

const waitMessage = `must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}`;

export const latestQuery = z.object({
  wait: z.coerce
    .number({ error: waitMessage })
    .min(0, { error: waitMessage })
    .max(MAX_WAIT_SECONDS, { error: waitMessage })
    .optional()
    .describe(
      `Long-poll up to this many seconds (0 to ${MAX_WAIT_SECONDS}, fractions allowed) for a request newer than \`after\` or, without \`after\`, arriving after the call.`,
    ),
  after: requestId
    .optional()
    .describe('A request id: only a newer request counts (e.g. the last one you saw).'),
});

export const isTrue = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : value === 'true' || value === '1';

/** `''` means "no filter": forms and scripts often send empty parameters. */
export const orUndefined = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;
