import type { DeliveryStore } from '../../store/types.js';

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 2000;

export interface PrunerOptions {
  deliveries: DeliveryStore;
  /** Finished deliveries older than this go (the bins' --ttl). */
  ttlMs: number;
  now(): number;
  log(message: string): void;
  stopping(): boolean;
}

/**
 * The delivery log keeps finished deliveries as long as unused bins live (--ttl): pruned now
 * and every ten minutes, in batches that yield to the event loop between them. Returns `stop`.
 */
export function startPruner(options: PrunerOptions): () => void {
  const { deliveries } = options;
  async function prune(): Promise<void> {
    try {
      const olderThan = options.now() - options.ttlMs;
      while (
        !options.stopping() &&
        (await deliveries.prune(olderThan, PRUNE_BATCH)) === PRUNE_BATCH
      ) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      options.log(`dispatcher: pruning the delivery log failed: ${String(error)}`);
    }
  }
  const timer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  timer.unref();
  void prune();
  return () => clearInterval(timer);
}
