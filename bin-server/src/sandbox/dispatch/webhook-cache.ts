import type { Bus } from '../../bus/types.js';
import type { SandboxWebhook, WebhookStore } from '../../store/types.js';

/**
 * Recently read webhooks (the dispatcher needs each delivery's secret and state). Entries expire
 * after `ttlMs`, and one is dropped at once when it changes (`follow`: live messages on the bus).
 */
export class WebhookCache {
  private readonly entries = new Map<number, { webhook: SandboxWebhook | undefined; at: number }>();

  constructor(
    private readonly store: WebhookStore,
    private readonly ttlMs = 2000,
  ) {}

  async get(id: number): Promise<SandboxWebhook | undefined> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && now - cached.at < this.ttlMs) return cached.webhook;
    const webhook = await this.store.get(id);
    this.entries.set(id, { webhook, at: now });
    if (this.entries.size > 10_000) this.entries.clear();
    return webhook;
  }

  forget(id: number): void {
    this.entries.delete(id);
  }

  /** Drops the webhooks the sandbox's events say changed or were deleted; returns unsubscribe. */
  follow(bus: Bus): () => void {
    return bus.subscribe('sandbox', (event) => {
      // Its books changing (counts written every 100 ms under load) leaves what is sent alone.
      if (event.type === 'webhook.changed' && !event.bookkeeping) this.forget(event.webhook.id);
      else if (event.type === 'webhook.deleted') this.forget(event.id);
    });
  }
}
