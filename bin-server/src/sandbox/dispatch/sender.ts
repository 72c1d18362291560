import type { Attempt, RetryPolicy } from '@umhooks/core';
import type { Context } from '../../context.js';
import type { Delivery, StoredAttempt, SandboxWebhook } from '../../store/types.js';
import { sendOptions } from '../send-options.js';
import { decide, storedAttempt, type Decision } from './decide.js';
import type { EventCounts } from './event-counts.js';
import { notSentAttempt, notSentDecision } from './not-sent.js';
import { ParsedPayloads } from './payloads.js';
import type { WebhookCache } from './webhook-cache.js';
import type { WebhookPushes } from './webhook-pushes.js';
import type { Send } from './work-pool.js';

export interface SenderOptions {
  context: Context;
  owner: string;
  webhooks: WebhookCache;
  policy: RetryPolicy;
  /** Per-attempt timeout override (tests); the profiles' defaults otherwise. */
  timeoutMs: number | undefined;
  /** Aborts sends in flight (stop): their deliveries are given back, not recorded. */
  signal: AbortSignal;
  counts: EventCounts;
  pushes: WebhookPushes;
  /** Wakes the claim loop (a delivery given back is claimable again). */
  wake(): void;
  /** Resolves when the claimed work has been sent (work-pool.ts): records wait for it. */
  afterSends(): Promise<void>;
}

/** A claimed delivery and the attempts it had before this one. */
interface Running {
  delivery: Delivery;
  previous: StoredAttempt[];
}

/**
 * One attempt of a claimed delivery: announce it (`delivery.claimed`), send it with core's
 * `deliver` (or record why not: webhook deleted or deactivated), decide what comes next, record
 * the attempt (only while the lease is still ours), announce the result (`delivery.attempted`)
 * and keep the webhook's books (event_count, date_last_failed, deactivation after a 410).
 */
export function createSender(options: SenderOptions): Send {
  const { context, owner, webhooks, signal } = options;
  const { store, bus } = context;
  const payloads = new ParsedPayloads();

  /**
   * Gives a delivery whose attempt could not be recorded (the store failed: disk full, database
   * gone) back for another send, retrying until the store takes it. Kept, its lease would never
   * end: the heartbeat renews every lease this dispatcher holds (leases.ts).
   */
  function giveBack(id: string, delayMs: number): void {
    setTimeout(() => {
      if (signal.aborted) return;
      store.deliveries.release(owner, [id]).then(
        () => options.wake(),
        () => giveBack(id, 1000),
      );
    }, delayMs);
  }

  async function previousAttempts(delivery: Delivery): Promise<StoredAttempt[]> {
    if (delivery.attemptCount === 0) return [];
    return (await store.deliveries.get(delivery.id))?.attempts ?? [];
  }

  async function attempt(delivery: Delivery, webhook: SandboxWebhook): Promise<Attempt> {
    try {
      return await context.outbound.deliver(
        delivery.url,
        payloads.get(delivery.payload),
        sendOptions(context, webhook, {
          eventId: delivery.event,
          messageId: delivery.id,
          signal,
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        }),
      );
    } catch (error) {
      if (signal.aborted) throw error;
      // deliver throws only for caller mistakes (e.g. a malformed secret): final, say why.
      return notSentAttempt(delivery, `Not sent: ${(error as Error).message}`, context.now());
    }
  }

  async function record(
    running: Running,
    result: Attempt,
    decision: Decision,
    number: number,
    webhook: SandboxWebhook | undefined,
    now: number,
  ): Promise<void> {
    const { delivery } = running;
    const stored = storedAttempt(result, delivery.id, number, decision);
    // Sends first: the rest of a fire goes out before this is written (the lease is ours still).
    await options.afterSends();
    const recorded = await store.deliveries.recordAttempt(owner, stored, {
      status: decision.status,
      nextAttemptAt: decision.nextAttemptAt,
    });
    // Lost the lease (another worker took over): its attempt, not ours, is the one on record.
    if (!recorded) return;
    bus.publish({
      type: 'delivery.attempted',
      // A literal, not a spread of `delivery` with fields overridden: one is made per delivery.
      delivery: {
        id: delivery.id,
        webhookId: delivery.webhookId,
        event: delivery.event,
        payload: delivery.payload,
        profile: delivery.profile,
        url: delivery.url,
        status: decision.status,
        attemptCount: number,
        createdAt: delivery.createdAt,
        nextAttemptAt: decision.nextAttemptAt,
        leaseOwner: undefined,
        leaseUntil: undefined,
      },
      attempts: [...running.previous, stored],
    });
    if (!webhook) return;
    if (decision.deactivate) {
      const updated = await store.webhooks.update(webhook.id, {
        active: false,
        dateLastFailed: now,
        dateModified: now,
      });
      if (updated) bus.publish({ type: 'webhook.changed', webhook: updated });
    } else if (decision.failed) {
      await store.webhooks.update(webhook.id, { dateLastFailed: now });
      options.pushes.changed(webhook.id);
    }
    if (decision.countsAsSent) options.counts.add(webhook.id);
  }

  return async function send(delivery, free) {
    try {
      const running: Running = { delivery, previous: await previousAttempts(delivery) };
      bus.publish({ type: 'delivery.claimed', delivery, attempts: running.previous });
      const webhook = await webhooks.get(delivery.webhookId);
      const number = delivery.attemptCount + 1;
      if (!webhook || (!webhook.active && delivery.profile === 'standard')) {
        free();
        const now = context.now();
        const decision = notSentDecision(delivery, webhook);
        const result = notSentAttempt(delivery, decision.reason, now);
        await record(running, result, decision, number, webhook, now);
        return;
      }
      const result = await attempt(delivery, webhook);
      free();
      if (signal.aborted) {
        // Stopped mid-send: give it back; the next run sends it again (same webhook-id).
        await store.deliveries.release(owner, [delivery.id]);
        return;
      }
      const now = context.now();
      const decision = decide(delivery.profile, result, number, now, options.policy);
      await record(running, result, decision, number, webhook, now);
    } catch (error) {
      free();
      if (signal.aborted) {
        await store.deliveries.release(owner, [delivery.id]).catch(() => {});
        return;
      }
      context.log(
        `dispatcher: delivery ${delivery.id} failed: ${String(error)}; it will be sent again (same webhook-id).`,
      );
      giveBack(delivery.id, 0);
    }
  };
}
