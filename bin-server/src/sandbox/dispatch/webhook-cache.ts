import type { SandboxWebhook, WebhookStore } from '../../store/types.js';

/**
 * Recently read webhooks (the dispatcher needs each delivery's secret and state). Entries expire
 * after `ttlMs`, and `forget` drops one at once when it changes (live messages on the bus).
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
}
