import { randomBytes } from 'node:crypto';
import { defaultRetryPolicy, type Attempt, type Profile } from '@umhooks/core';
import type { Context } from '../context.js';
import type { Delivery, DeliveryStatus, StoredAttempt } from '../store/types.js';
import { decide, storedAttempt, type Decision } from './dispatch/decide.js';
import { notSentAttempt } from './dispatch/not-sent.js';
import { sendOptions } from './send-options.js';

/**
 * Longer than the slowest attempt (the plugin profile's 45 s), so the lease never runs out
 * mid-send. If the server dies mid-send, the dispatcher takes the delivery over once it runs out
 * and sends it like any interrupted attempt (at least once, as every delivery).
 */
const LEASE_MS = 120_000;

export type RedeliverOutcome =
  | { kind: 'redelivered'; delivery: Delivery; attempts: StoredAttempt[] }
  | { kind: 'delivery_not_found' }
  | { kind: 'webhook_deleted'; webhookId: number }
  | { kind: 'webhook_inactive'; webhookId: number }
  /** Someone else (the dispatcher, another redelivery) is sending it right now. */
  | { kind: 'busy' };

/**
 * What follows a redelivery. It succeeds as any attempt does (the profile's rule). A failure of
 * a delivery still queued for retries (pending) leaves it pending on its schedule: the retries
 * go on. A failure of a finished one ends it `failed`: a redelivery is one attempt, never
 * retried by itself. A 410 deactivates the webhook, as on any attempt.
 */
function redeliveryDecision(
  profile: Profile,
  attempt: Attempt,
  number: number,
  now: number,
  before: Pick<Delivery, 'status' | 'nextAttemptAt'>,
): Decision {
  const decided = decide(profile, attempt, number, now, defaultRetryPolicy);
  if (decided.status === 'succeeded') return decided;
  const why = decided.reason ?? attempt.error?.message ?? `HTTP ${attempt.status ?? 'error'}`;
  const queued = before.status === 'pending' || before.status === 'delivering';
  if (queued && !decided.deactivate) {
    return {
      ...decided,
      outcome: 'retry',
      status: 'pending',
      nextAttemptAt: before.nextAttemptAt ?? now,
      reason: `Redelivered by hand and failed (${why}); the scheduled retries go on.`,
      failed: false,
    };
  }
  return {
    ...decided,
    outcome: decided.deactivate ? 'disable' : profile === 'plugin' ? 'recorded' : 'give-up',
    status: 'failed' satisfies DeliveryStatus,
    nextAttemptAt: undefined,
    reason: `Redelivered by hand: one attempt, not retried (${why}).`,
  };
}

/**
 * Sends a past delivery again, now: the same payload and (standard profile) the same
 * `webhook-id` with a new timestamp and signature, to the webhook's current URL with its current
 * profile and secret. The attempt is recorded on the delivery under a lease (so the dispatcher
 * and other redeliveries keep off it meanwhile) and published like the dispatcher's.
 */
export async function redeliver(context: Context, id: string): Promise<RedeliverOutcome> {
  const { store, bus } = context;
  const existing = await store.deliveries.get(id);
  if (!existing) return { kind: 'delivery_not_found' };
  const webhook = await store.webhooks.get(existing.webhookId);
  if (!webhook) return { kind: 'webhook_deleted', webhookId: existing.webhookId };
  if (!webhook.active) return { kind: 'webhook_inactive', webhookId: webhook.id };

  const owner = `redeliver-${process.pid}-${randomBytes(6).toString('hex')}`;
  const claimed = await store.deliveries.claimOne(owner, id, {
    now: context.now(),
    leaseMs: LEASE_MS,
  });
  if (claimed === undefined) return { kind: 'delivery_not_found' };
  if (claimed === 'busy') return { kind: 'busy' };
  const { delivery, before } = claimed;
  const previous = (await store.deliveries.get(id))?.attempts ?? existing.attempts;
  bus.publish({ type: 'delivery.claimed', delivery, attempts: previous });

  const number = delivery.attemptCount + 1;
  let result: Attempt;
  try {
    result = await context.outbound.deliver(
      webhook.webhookUrl,
      JSON.parse(delivery.payload) as unknown,
      sendOptions(context, webhook, {
        eventId: delivery.event,
        messageId: delivery.id,
        signal: context.signal,
      }),
    );
  } catch (error) {
    // deliver throws only for caller mistakes (e.g. a malformed secret): recorded, saying why.
    result = notSentAttempt(
      { ...delivery, url: webhook.webhookUrl },
      `Not sent: ${(error as Error).message}`,
      context.now(),
    );
  }
  const now = context.now();
  const decision = redeliveryDecision(webhook.profile, result, number, now, before);
  const stored = storedAttempt(result, delivery.id, number, decision);
  const next = { status: decision.status, nextAttemptAt: decision.nextAttemptAt };
  if (!(await store.deliveries.recordAttempt(owner, stored, next))) return { kind: 'busy' };
  const moved: Delivery = {
    ...delivery,
    ...next,
    attemptCount: number,
    leaseOwner: undefined,
    leaseUntil: undefined,
  };
  const attempts = [...previous, stored];
  bus.publish({ type: 'delivery.attempted', delivery: moved, attempts });

  // The webhook's books, as the dispatcher keeps them.
  if (decision.deactivate) {
    await store.webhooks.update(webhook.id, {
      active: false,
      dateLastFailed: now,
      dateModified: now,
    });
  } else if (decision.failed) {
    await store.webhooks.update(webhook.id, { dateLastFailed: now });
  }
  if (decision.countsAsSent) await store.webhooks.incrementCount(webhook.id, now);
  if (decision.deactivate || decision.failed || decision.countsAsSent) {
    const changed = await store.webhooks.get(webhook.id);
    if (changed) bus.publish({ type: 'webhook.changed', webhook: changed });
  }
  return { kind: 'redelivered', delivery: moved, attempts };
}
