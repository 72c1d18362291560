import type { Attempt, DeliveryErrorKind, Profile } from '@umhooks/core';
import { z } from 'zod';
import type { Delivery, SandboxWebhook, StoredAttempt } from '../store/types.js';
import { headerPair, isoDate } from './fields.js';
import { payloadIssueJson } from './request.js';

// The sandbox's JSON shapes (/api/sandbox, the UI, live pushes). The enums list the store's and
// core's values; the serializers below assign those to these shapes, so none can be missing, and
// `satisfies` keeps the lists from naming others.

const profiles = ['plugin', 'standard'] as const satisfies readonly Profile[];
export const profileJson = z
  .enum(profiles)
  .describe(
    '`plugin`: byte-for-byte what Ultimate Multisite sends (no signature, one attempt, status ignored). `standard`: Standard Webhooks, signed with `secret`, retried with backoff, 410 deactivates.',
  );
const errorKinds = [
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
] as const satisfies readonly DeliveryErrorKind[];
const transportError = z.object({ kind: z.enum(errorKinds), message: z.string() });

/** A sandbox webhook as /api/sandbox and the UI show it (ours: numbers and booleans, ISO dates). */
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
  profile: profileJson,
  secret: z.string().describe('`whsec_…`: verifies the `standard` profile’s signatures.'),
});
export type WebhookJson = z.output<typeof webhookJson>;

const outcomes = [
  'success',
  'retry',
  'give-up',
  'disable',
  'recorded',
] as const satisfies readonly StoredAttempt['outcome'][];

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
  outcome: z.enum(outcomes),
  next_attempt_at: isoDate.nullable(),
  reason: z.string().nullable().describe('Why the dispatcher decided `outcome`.'),
});
export type AttemptJson = z.output<typeof attemptJson>;

export const deliveryStatus = z.enum([
  'pending',
  'delivering',
  'succeeded',
  'failed',
  'gave-up',
] as const satisfies readonly Delivery['status'][]);

export const deliveryJson = z.object({
  id: z
    .string()
    .describe('Also the `webhook-id` header of the standard profile (kept across retries).'),
  webhook_id: z.number().int(),
  event: z.string(),
  url: z.string().describe('The target URL, copied when the event was fired.'),
  profile: profileJson,
  status: deliveryStatus,
  attempt_count: z.number().int().min(0),
  created_at: isoDate,
  next_attempt_at: isoDate.nullable(),
  payload: z.string().describe('The JSON text fired, before the profile’s encoding.'),
  attempts: z.array(attemptJson),
});
export type DeliveryJson = z.output<typeof deliveryJson>;

/** What Send Test Event answers (the plugin's "Test Response"). */
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
  request_id: z
    .string()
    .nullable()
    .describe(
      'The answer’s `x-request-id` (a umhooks capture bin sends the id of the request it stored): with it, the UI opens the very request. Null when the answer had none.',
    ),
});
export type TestResultJson = z.output<typeof testResultJson>;

/** The plugin's "Test Response" for what Send Test Event did (an attempt, or why none was made). */
export function toTestResultJson(
  webhookId: number,
  outcome: { attempt: Attempt } | { notSent: string },
): TestResultJson {
  if ('notSent' in outcome) {
    return {
      response: '',
      id: webhookId,
      status: null,
      error: { kind: 'other', message: outcome.notSent },
      duration_ms: 0,
      request_id: null,
    };
  }
  const { attempt } = outcome;
  const error = attempt.error ? { kind: attempt.error.kind, message: attempt.error.message } : null;
  return {
    response: attempt.responseBody ?? error?.message ?? '',
    id: webhookId,
    status: attempt.status ?? null,
    error,
    duration_ms: attempt.durationMs,
    request_id:
      attempt.responseHeaders?.find(([name]) => name.toLowerCase() === 'x-request-id')?.[1] ?? null,
  };
}

export const fireResultJson = z.object({
  event: z.string(),
  deliveries: z.array(z.string()).describe('Delivery ids, one per active webhook of the event.'),
});
export type FireResultJson = z.output<typeof fireResultJson>;

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

// The deliveries of a fire share their times, and each is published several times (queued,
// claimed, attempted): the last conversion is kept (Date formatting showed in the profile).
let lastMs = NaN;
let lastIso = '';
function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

export function toWebhookJson(webhook: SandboxWebhook): WebhookJson {
  return {
    id: webhook.id,
    name: webhook.name,
    webhook_url: webhook.webhookUrl,
    event: webhook.event,
    event_count: webhook.eventCount,
    active: webhook.active,
    hidden: webhook.hidden,
    integration: webhook.integration,
    date_created: iso(webhook.dateCreated),
    date_modified: iso(webhook.dateModified),
    date_last_failed: webhook.dateLastFailed === undefined ? null : iso(webhook.dateLastFailed),
    profile: webhook.profile,
    secret: webhook.secret,
  };
}

function toAttemptJson(attempt: StoredAttempt): AttemptJson {
  return {
    number: attempt.number,
    started_at: attempt.startedAt,
    duration_ms: attempt.durationMs,
    request: {
      method: attempt.request.method,
      url: attempt.request.url,
      headers: attempt.request.headers,
      body: attempt.request.body,
    },
    status: attempt.status ?? null,
    response_headers: attempt.responseHeaders ?? null,
    response_body: attempt.responseBody ?? null,
    response_truncated: attempt.responseTruncated ?? false,
    error: attempt.error ? { kind: attempt.error.kind, message: attempt.error.message } : null,
    outcome: attempt.outcome,
    next_attempt_at: attempt.nextAttemptAt === undefined ? null : iso(attempt.nextAttemptAt),
    reason: attempt.reason ?? null,
  };
}

export function toDeliveryJson(
  delivery: Delivery,
  attempts: readonly StoredAttempt[] = [],
): DeliveryJson {
  return {
    id: delivery.id,
    webhook_id: delivery.webhookId,
    event: delivery.event,
    url: delivery.url,
    profile: delivery.profile,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    created_at: iso(delivery.createdAt),
    next_attempt_at: delivery.nextAttemptAt === undefined ? null : iso(delivery.nextAttemptAt),
    payload: delivery.payload,
    attempts: attempts.map(toAttemptJson),
  };
}

/** The sandbox webhook a captured request came from (GET one request). */
export const sandboxSourceJson = z
  .object({
    webhook_id: z.number().int().min(1),
    webhook_name: z.string(),
    profile: profileJson,
    delivery_id: z
      .string()
      .nullable()
      .describe('The delivery (also its `webhook-id`) when it is a logged one; null for a test.'),
    secret_matches: z
      .boolean()
      .describe('Whether the bin’s signing secret is this webhook’s secret.'),
  })
  .describe(
    'This server’s sandbox webhook that sent the request: a delivery names itself in `webhook-id`; a Send Test Event is matched by a standard webhook aimed at this bin whose secret verifies it. Its secret is at GET /api/sandbox/webhooks/{id}.',
  );
export type SandboxSourceJson = z.output<typeof sandboxSourceJson>;

export function toSandboxSourceJson(
  webhook: SandboxWebhook,
  deliveryId: string | undefined,
  binSecret: string | undefined,
): SandboxSourceJson {
  return {
    webhook_id: webhook.id,
    webhook_name: webhook.name,
    profile: webhook.profile,
    delivery_id: deliveryId ?? null,
    secret_matches: binSecret === webhook.secret,
  };
}
