import { WEBHOOK_MAX_LENGTH, WEBHOOK_MIN_LENGTH } from '@umhooks/core';
import { z } from 'zod';
import { deliveryStatus, profileJson } from '../../wire/sandbox.js';

// /api/sandbox's inputs as zod schemas (its answers are in wire/sandbox.ts): the OpenAPI document
// is generated from them.

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
  profile: profileJson.default('plugin'),
});

export const webhookUpdateInput = z.strictObject({
  name: z.string().optional(),
  webhook_url: z.string().optional(),
  event: webhookEvent.optional(),
  integration: z.string().optional(),
  active: z.boolean().optional(),
  hidden: z.boolean().optional(),
  profile: profileJson.optional(),
  rotate_secret: z
    .literal(true)
    .optional()
    .describe('Replace the signing secret with a new one (the old one stops working at once).'),
});

/** Overrides, as `umhooks trigger --set/--unset` sends them (shared with the scenarios' input). */
export const overrideSet = z
  .record(z.string().min(1).max(200), z.unknown())
  .refine((set) => Object.keys(set).length <= 100, { error: 'at most 100 fields' })
  .describe(
    'Fields to change, by name or dot path into nested payloads (`site.title`). A string value is typed by the event’s schema (`"49.9"` for a number field is 49.9); other JSON values are kept. The result must pass the schema unless `force`.',
  );
export const overrideUnset = z
  .array(z.string().min(1).max(200))
  .max(100)
  .describe('Fields to remove, by name or dot path.');

export const fireInput = z.strictObject({
  event: eventId,
  payload: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The payload to send; the catalog’s realistic sample when absent.'),
  set: overrideSet.optional(),
  unset: overrideUnset.optional(),
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
  event: z
    .string()
    .min(1)
    .max(WEBHOOK_MAX_LENGTH.event)
    .optional()
    .describe('Only deliveries of this event (its id, e.g. `payment_received`).'),
  status: deliveryStatus.optional().describe('Only deliveries in this state now.'),
  cursor: z.string().regex(/^\d+$/).optional().describe('`next_cursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
