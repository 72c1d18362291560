import type { DeliveryErrorKind, Profile } from '@umhooks/core';
import type { Delivery, DeliveryStatus, StoredAttempt, SandboxWebhook } from '../store/types.js';

/** A sandbox webhook as /api/sandbox and the UI show it (ours: numbers and booleans, ISO dates). */
export interface WebhookJson {
  id: number;
  name: string;
  webhook_url: string;
  event: string;
  event_count: number;
  active: boolean;
  hidden: boolean;
  integration: string;
  date_created: string;
  date_modified: string;
  date_last_failed: string | null;
  profile: Profile;
  /** `whsec_…`: signs the `standard` profile's deliveries. */
  secret: string;
}

export interface AttemptJson {
  number: number;
  started_at: string;
  duration_ms: number;
  request: { method: string; url: string; headers: Array<[string, string]>; body: string };
  status: number | null;
  response_headers: Array<[string, string]> | null;
  response_body: string | null;
  response_truncated: boolean;
  error: { kind: DeliveryErrorKind; message: string } | null;
  outcome: StoredAttempt['outcome'];
  next_attempt_at: string | null;
  /** Why the dispatcher decided `outcome` (e.g. "410 Gone: the webhook was deactivated"). */
  reason: string | null;
}

export interface DeliveryJson {
  /** Also the `webhook-id` header of the standard profile (the same on every retry). */
  id: string;
  webhook_id: number;
  event: string;
  url: string;
  profile: Profile;
  status: DeliveryStatus;
  attempt_count: number;
  created_at: string;
  next_attempt_at: string | null;
  /** The JSON text fired (before the profile's encoding). */
  payload: string;
  attempts: AttemptJson[];
}

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

export function toAttemptJson(attempt: StoredAttempt): AttemptJson {
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
