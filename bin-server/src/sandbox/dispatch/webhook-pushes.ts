import type { Bus } from '../../bus/types.js';
import type { WebhookStore } from '../../store/types.js';

export interface WebhookPushes {
  /** Webhook `id` changed (its count or date_last_failed): publish it with the next push. */
  changed(id: number): void;
  /** Publishes every webhook changed so far. */
  flush(): Promise<void>;
  /** Stops the timer (flush once more afterwards). */
  stop(): void;
}

/**
 * Webhooks changed by deliveries are published every 500 ms as they then are (read back from the
 * store), once each however many deliveries changed them meanwhile. Only for changes of their
 * books (event_count, date_last_failed): dispatchers keep their cached copies (`bookkeeping`).
 */
export function createWebhookPushes(webhooks: WebhookStore, bus: Bus): WebhookPushes {
  const changed = new Set<number>();

  async function flush(): Promise<void> {
    const ids = [...changed];
    changed.clear();
    for (const id of ids) {
      const webhook = await webhooks.get(id).catch(() => undefined);
      if (webhook) bus.publish({ type: 'webhook.changed', webhook, bookkeeping: true });
    }
  }

  const timer = setInterval(() => void flush(), 500);
  timer.unref();
  return {
    changed: (id) => void changed.add(id),
    flush,
    stop: () => clearInterval(timer),
  };
}
