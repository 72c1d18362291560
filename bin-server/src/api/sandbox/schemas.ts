import { WEBHOOK_MAX_LENGTH, WEBHOOK_MIN_LENGTH } from '@umhooks/core';
import { z } from 'zod';
import { payloadIssueJson } from '../schemas/views.js';
import { assertSame, type Same } from '../schemas/assert.js';
import type { AttemptJson, DeliveryJson, WebhookJson } from '../../wire/sandbox.js';
import type { TestEventResult } from '../../sandbox/test-event.js';

// /api/sandbox's inputs and answers as zod schemas: the OpenAPI document is generated from them
// and the tests parse real answers with them. assertSame keeps them equal to views/sandbox.ts.

const isoDate = z.iso.datetime().describe('ISO 8601 date-time, UTC.');
const headerPair = z.tuple([z.string(), z.string()]);
const profile = z
  .enum(['plugin', 'standard'])
  .describe(
    '`plugin`: byte-for-byte what Ultimate Multisite sends (no signature, one attempt, status ignored). `standard`: Standard Webhooks, signed with `secret`, retried with backoff, 410 deactivates.',
  );
const transportError = z.object({
  kind: z.enum([
    'timeout',
    'refused',
    'dns',
    'tls',
    'too-large',
    'reset',
    'redirect',
    'invalid-url',
    'blocked',
    'other',
  ]),
  message: z.string(),
});

export const webhookJson = z.object({
  id: z.number().int().min(1),
  name: z.string(),
  webhook_url: z.string(),
  event: z.string(),
  event_count: z
    .number()
    .int()
    .min(0)
    .describe('Deliveries counted the way the plugin counts them.'),
  active: z.boolean().describe('Only active webhooks receive fired events.'),
  hidden: z.boolean(),
  integration: z.string().describe('`manual` (admin UI), `zapier`, …'),
  date_created: isoDate,
  date_modified: isoDate,
  date_last_failed: isoDate.nullable(),
  profile,
  secret: z.string().describe('`whsec_…`: verifies the `standard` profile’s signatures.'),
});

export const attemptJson = z.object({
  number: z.number().int().min(1),
  started_at: z.string(),
  duration_ms: z.number().min(0),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.array(headerPair).describe('Exactly the header lines sent, in order.'),
    body: z.string().describe('Exactly the body sent.'),
  }),
  status: z.number().int().nullable(),
  response_headers: z.array(headerPair).nullable(),
  response_body: z.string().nullable().describe('At most 64 KiB of the answer, as text.'),
  response_truncated: z.boolean(),
  error: transportError.nullable(),
  outcome: z.enum(['success', 'retry', 'give-up', 'disable', 'recorded']),
  next_attempt_at: isoDate.nullable(),
  reason: z.string().nullable().describe('Why the dispatcher decided `outcome`.'),
});

export const deliveryStatus = z.enum(['pending', 'delivering', 'succeeded', 'failed', 'gave-up']);

export const deliveryJson = z.object({
  id: z
    .string()
    .describe('Also the `webhook-id` header of the standard profile (kept across retries).'),
  webhook_id: z.number().int(),
  event: z.string(),
  url: z.string().describe('The target URL, copied when the event was fired.'),
  profile,
  status: deliveryStatus,
  attempt_count: z.number().int().min(0),
  created_at: isoDate,
  next_attempt_at: isoDate.nullable(),
  payload: z.string().describe('The JSON text fired, before the profile’s encoding.'),
  attempts: z.array(attemptJson),
});

export const testResultJson = z.object({
  response: z
    .string()
    .describe(
      'What the plugin’s "Test Response" dialog shows: the remote body (empty → the plugin shows an error), or the transport error’s message.',
    ),
  id: z.number().int(),
  status: z.number().int().nullable(),
  error: transportError.nullable(),
  duration_ms: z.number().min(0),
});

export const fireResultJson = z.object({
  event: z.string(),
  deliveries: z.array(z.string()).describe('Delivery ids, one per active webhook of the event.'),
});

/** Why a fire was refused: a payload that fails the schema, or an unknown event without one. */
export const fireRefusedJson = z.object({
  error: z
    .enum(['invalid_payload', 'unknown_event'])
    .describe(
      '`invalid_payload`: the payload fails the event’s schema; `unknown_event`: the event is not in the catalog and no payload was given.',
    ),
  message: z.string(),
  issues: z
    .array(payloadIssueJson)
    .optional()
    .describe('With `invalid_payload`: every issue found in the payload.'),
});

assertSame<Same<z.output<typeof webhookJson>, WebhookJson>>(true);
assertSame<Same<z.output<typeof attemptJson>, AttemptJson>>(true);
assertSame<Same<z.output<typeof deliveryJson>, DeliveryJson>>(true);
assertSame<Same<z.output<typeof testResultJson>, TestEventResult>>(true);

// ---------------------------------------------------------------- inputs

const eventId = z
  .string()
  .min(1)
  .max(WEBHOOK_MAX_LENGTH.event)
  .regex(/^\S+$/, { error: 'must be an event slug without spaces, e.g. payment_received' })
  .describe('The event slug, e.g. `payment_received` (unknown ids of add-ons are accepted).');

// A webhook's fields are checked by core's port of the plugin's rules (after these types), so
// that this API refuses exactly what the plugin's REST API refuses.
const webhookEvent = z
  .string()
  .min(1)
  .max(WEBHOOK_MAX_LENGTH.event)
  .describe('The event slug, e.g. `payment_received` (unknown ids of add-ons are accepted).');

export const webhookCreateInput = z.strictObject({
  name: z.string().describe(`At least ${WEBHOOK_MIN_LENGTH.name} characters.`),
  webhook_url: z
    .string()
    .describe(`http:// or https://, at most ${WEBHOOK_MAX_LENGTH.webhook_url} characters.`),
  event: webhookEvent,
  integration: z.string().default('manual'),
  active: z.boolean().default(true),
  hidden: z.boolean().default(false),
  profile: profile.default('plugin'),
});

export const webhookUpdateInput = z.strictObject({
  name: z.string().optional(),
  webhook_url: z.string().optional(),
  event: webhookEvent.optional(),
  integration: z.string().optional(),
  active: z.boolean().optional(),
  hidden: z.boolean().optional(),
  profile: profile.optional(),
  rotate_secret: z
    .literal(true)
    .optional()
    .describe('Replace the signing secret with a new one (the old one stops working at once).'),
});

export const fireInput = z.strictObject({
  event: eventId,
  payload: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The payload to send; the catalog’s realistic sample when absent.'),
  force: z
    .boolean()
    .default(false)
    .describe('Send a payload that fails the event’s schema anyway.'),
});

export const webhookPath = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('The webhook id.'),
});

export const deliveryPath = z.object({
  id: z.string().min(1).max(100).describe('The delivery id (`msg_…`).'),
});

export const deliveriesQuery = z.object({
  webhook: z.coerce.number().int().min(1).optional().describe('Only this webhook’s deliveries.'),
  event: z.string().min(1).max(WEBHOOK_MAX_LENGTH.event).optional(),
  status: deliveryStatus.optional(),
  cursor: z.string().regex(/^\d+$/).optional().describe('`next_cursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
