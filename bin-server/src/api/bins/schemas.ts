import { secretKey } from '@umhooks/core';
import { z } from 'zod';
import { BIN_ID_PATTERN } from '../../store/bin-id.js';
import { MAX_RESPONSE_BODY_BYTES } from '../../responders/limits.js';
import { headerName, headerValue } from '../../wire/fields.js';

const MAX_RESPONSE_HEADERS = 10;
const MAX_RESPONSE_DELAY_MS = 30_000;

export const binId = z
  .string({ error: 'must be a string' })
  .regex(BIN_ID_PATTERN, { error: 'must be 4 to 64 letters, digits, "-" or "_"' })
  .describe('4 to 64 letters, digits, `-` or `_`.');

export const binPath = z.object({ id: binId });

const binName = z
  .string({ error: 'must be a string' })
  .max(100, { error: 'must be at most 100 characters' })
  .describe('A label for people; at most 100 characters.');

const statusMessage = 'must be an integer from 100 to 599';
const delayMessage = `must be an integer from 0 to ${MAX_RESPONSE_DELAY_MS} (milliseconds)`;

const binResponseInput = z
  .strictObject({
    status: z
      .number({ error: statusMessage })
      .int({ error: statusMessage })
      .min(100, { error: statusMessage })
      .max(599, { error: statusMessage })
      .default(200),
    headers: z
      .array(
        z.tuple([headerName, headerValue], {
          error: 'must be a [name, value] pair of strings',
        }),
        { error: 'must be an array of [name, value] pairs' },
      )
      .max(MAX_RESPONSE_HEADERS, { error: `must have at most ${MAX_RESPONSE_HEADERS} headers` })
      .default([])
      .describe(
        'Sent in order. Every capture answer also carries `Content-Security-Policy: sandbox` and `X-Content-Type-Options: nosniff`: a Content-Security-Policy given here is sent beside it (it can only restrict further), an X-Content-Type-Options is replaced.',
      ),
    body: z
      .string({ error: 'must be a string' })
      .refine((body) => Buffer.byteLength(body, 'utf8') <= MAX_RESPONSE_BODY_BYTES, {
        error: `must be at most ${MAX_RESPONSE_BODY_BYTES} bytes (10 KB) of UTF-8`,
      })
      .default(''),
    delay_ms: z
      .number({ error: delayMessage })
      .int({ error: delayMessage })
      .min(0, { error: delayMessage })
      .max(MAX_RESPONSE_DELAY_MS, { error: delayMessage })
      .default(0),
  })
  .describe(
    'What the bin answers: status 100-599 (default 200), at most 10 headers, a body of at most 10 KB, a delay of at most 30 s (the request is stored before the wait).',
  );

function isSecret(text: string): boolean {
  try {
    return secretKey(text).length >= 16;
  } catch {
    return false;
  }
}

const signingSecret = z
  .string({ error: 'must be a string' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine(isSecret, {
    error:
      'must be a Standard Webhooks secret: "whsec_" followed by the base64 key (at least 16 bytes), as the sender shows it',
  })
  .describe(
    "The sender's Standard Webhooks secret (`whsec_…`): every request read comes with a `signature` check.",
  );

/** The bound here is --max-requests' own; the route refuses more than this server's setting. */
const maxRequests = z
  .number({ error: 'must be a whole number of requests' })
  .int({ error: 'must be a whole number of requests' })
  .min(1, { error: 'must be at least 1' })
  .max(1_000_000, { error: 'must be at most 1,000,000' })
  .describe(
    "How many requests the bin keeps (the newest; older ones are evicted at once): 1 to the server's --max-requests (`limits.max_requests` of GET /api/info).",
  );

export const createBinInput = z
  .strictObject({
    id: binId.optional().describe('Omit for a generated id with 128 random bits.'),
    name: binName.optional(),
    response: binResponseInput.optional(),
    signing_secret: signingSecret.optional(),
    max_requests: maxRequests.optional(),
  })
  .describe('A new bin; every field is optional.');

export const updateBinInput = z
  .strictObject({
    name: binName.optional(),
    response: binResponseInput
      .nullable()
      .optional()
      .describe('New response settings; null restores the default 200 JSON answer.'),
    signing_secret: signingSecret
      .nullable()
      .optional()
      .describe('A new signing secret; null removes it (requests are then not checked).'),
    max_requests: maxRequests
      .nullable()
      .optional()
      .describe(
        "The bin's own request limit, 1 to the server's --max-requests; lowering it evicts the oldest at once. null: the server's limit.",
      ),
  })
  .describe('Fields to change; absent fields stay as they are.');

export type BinResponseInput = z.output<typeof binResponseInput>;
