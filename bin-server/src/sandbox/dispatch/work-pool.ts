import { originOf } from '../../store/origin.js';
import type { Delivery, DeliveryStore } from '../../store/types.js';
import { TargetQueues } from './target-queues.js';

/**
 * Sends one claimed delivery. `free` gives its target's slot back as soon as the answer is in
 * (recording the attempt happens after, without holding the target); it may be called more
 * than once, and is called again when the send settles.
 */
export type Send = (delivery: Delivery, free: () => void) => Promise<void>;

export interface WorkPoolOptions {
  deliveries: DeliveryStore;
  owner: string;
  now(): number;
  leaseMs: number;
  /** Most deliveries claimed at once. */
  batchSize: number;
  /** Sends in flight at once, all targets together. */
  concurrency: number;
  /** Sends in flight at once to one target origin. */
  perTarget: number;
  /** Once aborted, nothing more is started. */
  signal: AbortSignal;
  /** Called when claiming again can bring work (room was freed). */
  wake(): void;
  send: Send;
  /** Longest an attempt's record waits for the claimed work to be sent (`afterSends`). */
  recordDelayMs: number;
}

export interface WorkPool {
  /** Claims what fits (nothing when less than a chunk of room is free) and starts sending. */
  claim(): Promise<{ claimed: number; asked: number }>;
  /** Whether claimed work is buffered or in flight (its leases need renewing). */
  readonly holding: boolean;
  /** Removes the claimed deliveries not started yet and gives them back to the store. */
  releaseWaiting(): Promise<void>;
  /** Settles when every send in flight now has. */
  settled(): Promise<void>;
  /**
   * Resolves once no claimed delivery waits for a slot (every one has been sent), or
   * `recordDelayMs` after the first caller: recording an attempt waits for it, so that the
   * deliveries of a fire go out before the books of those answered first are written.
   */
  afterSends(): Promise<void>;
}

/**
 * Claimed work and the sends in flight: claimed deliveries are buffered by target origin (up to
 * twice the concurrency; claims come in chunks, not one per send) and started round-robin, at
 * most `concurrency` at once and `perTarget` per target, so a slow target holds only its own.
 */
export function createWorkPool(options: WorkPoolOptions): WorkPool {
  const { deliveries, owner, concurrency, perTarget, signal } = options;
  const capacity = concurrency * 2;
  const chunk = Math.max(1, Math.min(options.batchSize, concurrency));
  const queues = new TargetQueues(perTarget);
  const inFlight = new Set<Promise<void>>();
  // Records waiting for the claimed work to go out (afterSends), and their deadline.
  let recordsWaiting: Array<() => void> = [];
  let recordTimer: NodeJS.Timeout | undefined;

  function releaseRecords(): void {
    clearTimeout(recordTimer);
    recordTimer = undefined;
    const waiting = recordsWaiting;
    recordsWaiting = [];
    for (const resolve of waiting) resolve();
  }

  function pump(): void {
    startSends();
    if (recordsWaiting.length > 0 && (queues.waiting === 0 || signal.aborted)) releaseRecords();
  }

  function startSends(): void {
    while (!signal.aborted && queues.running < concurrency) {
      const next = queues.next();
      if (!next) return;
      let freed = false;
      const free = () => {
        if (freed) return;
        freed = true;
        const left = queues.done(next.origin);
        pump();
        // Claim again when it can bring work: once a chunk of room has just become free, or
        // once this target has just drained to its running slots (nothing left waiting).
        if (capacity - queues.buffered === chunk || left === perTarget) options.wake();
      };
      const job = options.send(next.delivery, free).finally(() => {
        inFlight.delete(job);
        free();
      });
      inFlight.add(job);
    }
  }

  return {
    async claim() {
      const room = capacity - queues.buffered;
      if (room < chunk) return { claimed: 0, asked: 0 };
      const asked = Math.min(room, options.batchSize);
      const claimed = await deliveries.claim(owner, {
        now: options.now(),
        leaseMs: options.leaseMs,
        limit: asked,
        excludeOrigins: queues.fullOrigins(),
      });
      for (const delivery of claimed) queues.push(delivery, originOf(delivery.url));
      pump();
      return { claimed: claimed.length, asked };
    },
    get holding() {
      return queues.buffered > 0;
    },
    async releaseWaiting() {
      const waiting = queues.drainWaiting();
      releaseRecords();
      await deliveries.release(
        owner,
        waiting.map((d) => d.id),
      );
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
    afterSends() {
      if (queues.waiting === 0 || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        recordsWaiting.push(resolve);
        recordTimer ??= setTimeout(releaseRecords, options.recordDelayMs);
      });
    },
  };
}
