import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { defaultRetryPolicy, type RetryPolicy } from '@umhooks/core';
import type { Context } from '../context.js';
import { runClaimLoop } from './dispatch/claim-loop.js';
import { createEventCounts } from './dispatch/event-counts.js';
import { startLeaseRenewer } from './dispatch/leases.js';
import { startPruner } from './dispatch/pruner.js';
import { createSender } from './dispatch/sender.js';
import { createWakeup } from './dispatch/wakeup.js';
import { WebhookCache } from './dispatch/webhook-cache.js';
import { createWebhookPushes } from './dispatch/webhook-pushes.js';
import { createWorkPool } from './dispatch/work-pool.js';

export interface Dispatcher {
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
  /**
   * Longest an answered attempt waits to be recorded while claimed deliveries still wait to be
   * sent (default 20 ms): sends go first, the books after.
   */
  recordDelayMs?: number;
}

/**
 * The outbox dispatcher, wired from its parts (dispatch/): a claim loop takes due deliveries
 * from the store with a lease (after a crash, another run takes them over once it runs out) into
 * a work pool that sends them by target origin; the sender records each attempt (only while the
 * lease is still ours) and decides what comes next; leases are renewed, the log pruned, counts
 * batched and changed webhooks pushed. The loop sleeps until the next delivery is due, or a
 * domain event wakes it (`delivery.queued`, a retry scheduled, `missed`), or a send frees room.
 */
export function startDispatcher(context: Context, options: DispatcherOptions = {}): Dispatcher {
  const { store, bus } = context;
  const now = () => context.now();
  const log = (message: string) => context.log(message);
  const leaseMs = options.leaseMs ?? 15_000;
  const graceMs = options.stopGraceMs ?? 2000;
  const owner = `dispatcher-${process.pid}-${randomBytes(6).toString('hex')}`;
  const wakeup = createWakeup();
  const webhooks = new WebhookCache(store.webhooks);
  const abort = new AbortController();
  // Every send in flight listens to it (core removes its listener when the attempt ends).
  setMaxListeners(Infinity, abort.signal);
  let stopping = false;

  const unsubscribe = bus.subscribe('sandbox', (event) => {
    if (event.type === 'delivery.queued') wakeup.wake();
    // A retry is due later: sleep until then, not until the next fire.
    else if (event.type === 'delivery.attempted' && event.delivery.status === 'pending') {
      wakeup.wake();
    }
    // A change that reached this instance only as a notice (scale-out bus): look for work.
    else if (event.type === 'missed') wakeup.wake();
  });
  const unfollow = webhooks.follow(bus);

  const pushes = createWebhookPushes(store.webhooks, bus);
  const counts = createEventCounts(store.webhooks, now, log, (id) => pushes.changed(id));
  const pool = createWorkPool({
    deliveries: store.deliveries,
    owner,
    now,
    leaseMs,
    batchSize: options.batchSize ?? 256,
    concurrency: options.concurrency ?? 128,
    perTarget: options.perTarget ?? 32,
    signal: abort.signal,
    wake: () => wakeup.wake(),
    send: createSender({
      context,
      owner,
      webhooks,
      policy: options.retryPolicy ?? defaultRetryPolicy,
      timeoutMs: options.timeoutMs,
      signal: abort.signal,
      counts,
      pushes,
      wake: () => wakeup.wake(),
      afterSends: () => pool.afterSends(),
    }),
    recordDelayMs: options.recordDelayMs ?? 20,
  });
  const stopRenewing = startLeaseRenewer({
    deliveries: store.deliveries,
    owner,
    leaseMs,
    now,
    log,
    holding: () => pool.holding,
  });
  const looping = runClaimLoop({
    pool,
    deliveries: store.deliveries,
    wakeup,
    now,
    baseUrl: () => context.baseUrl(),
    log,
    stopping: () => stopping,
  });
  const stopPruning = startPruner({
    deliveries: store.deliveries,
    ttlMs: context.config.ttl,
    now,
    log,
    stopping: () => stopping,
  });

  async function shutdown(): Promise<void> {
    wakeup.wake();
    unsubscribe();
    unfollow();
    await looping;
    counts.stop();
    pushes.stop();
    stopPruning();
    await pool.releaseWaiting().catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([pool.settled(), grace]);
    clearTimeout(timer);
    abort.abort();
    await pool.settled();
    stopRenewing();
    await counts.flush();
    await pushes.flush();
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      stopped ??= shutdown();
      return stopped;
    },
  };
}
