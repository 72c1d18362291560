import type { WebhookStore } from '../../store/types.js';

export interface EventCounts {
  /** One more send of webhook `id` that counts (the plugin's event_count). */
  add(id: number): void;
  /** Writes what was added so far. */
  flush(): Promise<void>;
  /** Stops the timer (flush once more afterwards: nothing added is dropped). */
  stop(): void;
}

/**
 * event_count is added up here and written every 100 ms, not once per delivery (a crash can
 * lose the last tenth of a second of counting, never a delivery). `written` hears of each
 * webhook whose count changed (viewers are told).
 */
export function createEventCounts(
  webhooks: WebhookStore,
  now: () => number,
  log: (message: string) => void,
  written: (id: number) => void,
): EventCounts {
  const unwritten = new Map<number, number>();

  async function flush(): Promise<void> {
    const counts = [...unwritten];
    unwritten.clear();
    const at = now();
    await Promise.all(
      counts.map(([id, by]) =>
        webhooks.incrementCount(id, at, by).then(
          () => written(id),
          (error: unknown) => {
            log(`dispatcher: counting deliveries of webhook ${id} failed: ${String(error)}`);
          },
        ),
      ),
    );
  }

  const timer = setInterval(() => void flush(), 100);
  timer.unref();
  return {
    add(id) {
      unwritten.set(id, (unwritten.get(id) ?? 0) + 1);
    },
    flush,
    stop: () => clearInterval(timer),
  };
}
