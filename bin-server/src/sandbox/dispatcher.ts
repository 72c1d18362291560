import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { defaultRetryPolicy, deliver, type Attempt, type RetryPolicy } from '@umhooks/core';
import type { Context } from '../context.js';
import { originOf } from '../store/origin.js';
import type { Delivery, StoredAttempt, StoredWebhook } from '../store/types.js';
import { decide, type Decision } from './dispatch/decide.js';
import { ParsedPayloads } from './dispatch/payloads.js';
import { TargetQueues } from './dispatch/target-queues.js';
import { createWakeup } from './dispatch/wakeup.js';
import { WebhookCache } from './dispatch/webhook-cache.js';
import { sendOptions } from './send-options.js';

export interface Dispatcher {
  /** Wakes the workers (after a fire). */
  poke(): void;
  /** Stops claiming, gives back unsent work, lets sends finish (then aborts and gives them back). */
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  /** Sends in flight at once, all targets together (default 128). */
  concurrency?: number;
  /** Sends in flight at once to one target origin (default 32): a slow target holds only these. */
  perTarget?: number;
  /** How long a claim is held without a heartbeat (default 15 s); renewed every third of it. */
  leaseMs?: number;
  /** Most deliveries claimed at once (default 256). */
  batchSize?: number;
  /** Standard profile retries; tests inject a fast one. */
  retryPolicy?: RetryPolicy;
  /** Time `stop()` gives sends in flight before aborting them (default 2 s). */
  stopGraceMs?: number;
  /** Per-attempt timeout override (tests); the profiles' defaults otherwise (45 s / 15 s). */
  timeoutMs?: number;
}

const MAX_SLEEP_MS = 60_000;
/** When due work exists but nothing could be claimed (targets full): look again this soon. */
const BUSY_RECHECK_MS = 250;
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 2000;

interface Running {
  delivery: Delivery;
  previous: StoredAttempt[];
}

/**
 * The outbox dispatcher. A loop claims due deliveries from the store with a lease (so after a
 * crash, another run takes them over once the lease runs out), groups them by target origin,
 * and sends them with core's `deliver` — at most `concurrency` at once and `perTarget` per
 * target. Each attempt is recorded (only while the lease is still ours), pushed to live viewers,
 * and decides the delivery's next state. The loop sleeps until the next delivery is due, a fire
 * wakes it (`delivery.queued` or a retry scheduled, on the bus topic `sandbox`), or a send frees room.
 */
export function startDispatcher(context: Context, options: DispatcherOptions = {}): Dispatcher {
  const concurrency = options.concurrency ?? 128;
  const perTarget = options.perTarget ?? 32;
  const leaseMs = options.leaseMs ?? 15_000;
  const batchSize = options.batchSize ?? 256;
  const policy = options.retryPolicy ?? defaultRetryPolicy;
  const graceMs = options.stopGraceMs ?? 2000;
  // Claimed work is buffered up to twice the concurrency; claims happen in chunks, not per send.
  const capacity = concurrency * 2;
  const chunk = Math.max(1, Math.min(batchSize, concurrency));

  const { store, bus } = context;
  const owner = `dispatcher-${process.pid}-${randomBytes(6).toString('hex')}`;
  const queues = new TargetQueues(perTarget);
  const wakeup = createWakeup();
  const webhooks = new WebhookCache(store.webhooks);
  const abort = new AbortController();
  // Every send in flight listens to it (core removes its listener when the attempt ends).
  setMaxListeners(Infinity, abort.signal);
  const inFlight = new Set<Promise<void>>();
  const changedWebhooks = new Set<number>();
  const unwrittenCounts = new Map<number, number>();
  let stopping = false;

  const unsubscribe = bus.subscribe('sandbox', (event) => {
    if (event.type === 'delivery.queued') wakeup.wake();
    // A retry is due later: sleep until then, not until the next fire.
    else if (event.type === 'delivery.attempted' && event.delivery.status === 'pending') {
      wakeup.wake();
    }
    // A change that reached this instance only as a notice (scale-out bus): look for work.
    else if (event.type === 'missed') wakeup.wake();
    else if (event.type === 'webhook.changed') webhooks.forget(event.webhook.id);
    else if (event.type === 'webhook.deleted') webhooks.forget(event.id);
  });

  const renewer = setInterval(
    () => {
      if (queues.buffered === 0) return;
      store.deliveries.renew(owner, context.now(), leaseMs).catch((error: unknown) => {
        context.log(`dispatcher: renewing leases failed: ${String(error)}`);
      });
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  renewer.unref();

  // The delivery log keeps finished deliveries as long as unused bins live (--ttl).
  const pruner = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruner.unref();
  async function prune(): Promise<void> {
    try {
      const olderThan = context.now() - context.config.ttl;
      while (!stopping && (await store.deliveries.prune(olderThan, PRUNE_BATCH)) === PRUNE_BATCH) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      context.log(`dispatcher: pruning the delivery log failed: ${String(error)}`);
    }
  }

  // event_count is added up here and written every 100 ms, not once per delivery (a crash can
  // lose the last tenth of a second of counting, never a delivery); viewers get the changed
  // webhooks every 500 ms.
  const countWriter = setInterval(() => void writeCounts(), 100);
  countWriter.unref();
  const webhookPusher = setInterval(() => void pushChangedWebhooks(), 500);
  webhookPusher.unref();

  async function writeCounts(): Promise<void> {
    const counts = [...unwrittenCounts];
    unwrittenCounts.clear();
    const now = context.now();
    await Promise.all(
      counts.map(([id, by]) =>
        store.webhooks.incrementCount(id, now, by).then(
          () => changedWebhooks.add(id),
          (error: unknown) => {
            context.log(
              `dispatcher: counting deliveries of webhook ${id} failed: ${String(error)}`,
            );
          },
        ),
      ),
    );
  }

  async function pushChangedWebhooks(): Promise<void> {
    const ids = [...changedWebhooks];
    changedWebhooks.clear();
    for (const id of ids) {
      const webhook = await store.webhooks.get(id).catch(() => undefined);
      if (webhook) bus.publish({ type: 'webhook.changed', webhook });
    }
  }

  async function claim(): Promise<{ claimed: number; asked: number }> {
    const room = capacity - queues.buffered;
    if (room < chunk) return { claimed: 0, asked: 0 };
    const asked = Math.min(room, batchSize);
    const claimed = await store.deliveries.claim(owner, {
      now: context.now(),
      leaseMs,
      limit: asked,
      excludeOrigins: queues.fullOrigins(),
    });
    for (const delivery of claimed) queues.push(delivery, originOf(delivery.url));
    pump();
    return { claimed: claimed.length, asked };
  }

  async function previousAttempts(delivery: Delivery): Promise<StoredAttempt[]> {
    if (delivery.attemptCount === 0) return [];
    return (await store.deliveries.get(delivery.id))?.attempts ?? [];
  }

  function pump(): void {
    while (!abort.signal.aborted && queues.running < concurrency) {
      const next = queues.next();
      if (!next) return;
      let freed = false;
      // The target's slot is freed as soon as its answer is in: recording the attempt (a group
      // commit) happens after, without holding the target.
      const free = () => {
        if (freed) return;
        freed = true;
        const left = queues.done(next.origin);
        pump();
        // Claim again when it can bring work: once a chunk of room has just become free, or
        // once this target has just drained to its running slots (nothing left waiting).
        if (capacity - queues.buffered === chunk || left === perTarget) wakeup.wake();
      };
      const job = send(next.delivery, free).finally(() => {
        inFlight.delete(job);
        free();
      });
      inFlight.add(job);
    }
  }

  const payloads = new ParsedPayloads();

  async function send(delivery: Delivery, free: () => void): Promise<void> {
    try {
      const running: Running = { delivery, previous: await previousAttempts(delivery) };
      bus.publish({ type: 'delivery.claimed', delivery, attempts: running.previous });
      const webhook = await webhooks.get(delivery.webhookId);
      const number = delivery.attemptCount + 1;
      if (!webhook || (!webhook.active && delivery.profile === 'standard')) {
        free();
        await finish(running, notSent(delivery, webhook), number, webhook);
        return;
      }
      let attempt: Attempt;
      try {
        attempt = await deliver(
          delivery.url,
          payloads.get(delivery.payload),
          sendOptions(context, webhook, {
            eventId: delivery.event,
            messageId: delivery.id,
            signal: abort.signal,
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          }),
        );
      } catch (error) {
        if (abort.signal.aborted) throw error;
        // deliver throws only for caller mistakes (e.g. a malformed secret): final, say why.
        attempt = {
          startedAt: new Date().toISOString(),
          durationMs: 0,
          request: { method: 'POST', url: delivery.url, headers: [], body: '' },
          error: { kind: 'other', message: `Not sent: ${(error as Error).message}` },
        };
      }
      free();
      if (abort.signal.aborted) {
        // Stopped mid-send: give it back; the next run sends it again (same webhook-id).
        await store.deliveries.release(owner, [delivery.id]);
        return;
      }
      await finish(running, attempt, number, webhook);
    } catch (error) {
      free();
      if (abort.signal.aborted) {
        await store.deliveries.release(owner, [delivery.id]).catch(() => {});
        return;
      }
      context.log(`dispatcher: delivery ${delivery.id} failed: ${String(error)}`);
    }
  }

  async function finish(
    running: Running,
    attempt: Attempt | Decision,
    number: number,
    webhook: StoredWebhook | undefined,
  ): Promise<void> {
    const { delivery } = running;
    const now = context.now();
    let result: Attempt;
    let decision: Decision;
    if ('outcome' in attempt) {
      decision = attempt;
      result = notSentAttempt(delivery, decision.reason ?? 'Not sent.');
    } else {
      result = attempt;
      decision = decide(delivery.profile, attempt, number, now, policy);
    }
    const stored: StoredAttempt = {
      ...result,
      deliveryId: delivery.id,
      number,
      outcome: decision.outcome,
      nextAttemptAt: decision.nextAttemptAt,
      reason: decision.reason,
    };
    const recorded = await store.deliveries.recordAttempt(owner, stored, {
      status: decision.status,
      nextAttemptAt: decision.nextAttemptAt,
    });
    // Lost the lease (another worker took over): its attempt, not ours, is the one on record.
    if (!recorded) return;
    bus.publish({
      type: 'delivery.attempted',
      delivery: {
        ...delivery,
        status: decision.status,
        attemptCount: number,
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
      changedWebhooks.add(webhook.id);
    }
    if (decision.countsAsSent) {
      unwrittenCounts.set(webhook.id, (unwrittenCounts.get(webhook.id) ?? 0) + 1);
    }
  }

  async function loop(): Promise<void> {
    // The plugin profile names this network's URL (User-Agent): wait until the server listens.
    while (!stopping && context.baseUrl() === '') await wakeup.sleep(20);
    while (!stopping) {
      try {
        const { claimed, asked } = await claim();
        if (stopping) break;
        if (asked === 0) {
          // Buffer full: a finished send wakes us.
          await wakeup.sleep(MAX_SLEEP_MS);
          continue;
        }
        if (claimed === asked) continue;
        const due = await store.deliveries.nextDue();
        const wait = due === undefined ? MAX_SLEEP_MS : due - context.now();
        if (wait > 0) await wakeup.sleep(Math.min(wait, MAX_SLEEP_MS));
        else if (claimed === 0) await wakeup.sleep(BUSY_RECHECK_MS);
      } catch (error) {
        if (stopping) break;
        context.log(`dispatcher: ${String(error)}`);
        await wakeup.sleep(1000);
      }
    }
  }

  const looping = loop();
  void prune();

  let stopped: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    wakeup.wake();
    unsubscribe();
    await looping;
    clearInterval(countWriter);
    clearInterval(webhookPusher);
    clearInterval(pruner);
    const waiting = queues.drainWaiting();
    await store.deliveries
      .release(
        owner,
        waiting.map((d) => d.id),
      )
      .catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...inFlight]), grace]);
    clearTimeout(timer);
    abort.abort();
    await Promise.allSettled([...inFlight]);
    clearInterval(renewer);
    await writeCounts();
    await pushChangedWebhooks();
  }

  return {
    poke: () => wakeup.wake(),
    stop() {
      stopping = true;
      stopped ??= shutdown();
      return stopped;
    },
  };
}

/** The delivery is not sent: the webhook is gone, or (standard profile) deactivated. */
function notSent(delivery: Delivery, webhook: StoredWebhook | undefined): Decision {
  return {
    outcome: 'give-up',
    status: 'failed',
    nextAttemptAt: undefined,
    reason: webhook
      ? `Not sent: webhook ${delivery.webhookId} is inactive (a receiver answered 410, or someone turned it off).`
      : `Not sent: webhook ${delivery.webhookId} was deleted after this event was fired.`,
    countsAsSent: false,
    deactivate: false,
    failed: false,
  };
}

function notSentAttempt(delivery: Delivery, reason: string): Attempt {
  return {
    startedAt: new Date().toISOString(),
    durationMs: 0,
    request: { method: 'POST', url: delivery.url, headers: [], body: '' },
    error: { kind: 'other', message: reason },
  };
}
