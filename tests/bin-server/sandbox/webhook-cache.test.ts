import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../../bin-server/src/bus/memory.js';
import { createEventCounts } from '../../../bin-server/src/sandbox/dispatch/event-counts.js';
import { WebhookCache } from '../../../bin-server/src/sandbox/dispatch/webhook-cache.js';
import { createWebhookPushes } from '../../../bin-server/src/sandbox/dispatch/webhook-pushes.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type { SandboxWebhook } from '../../../bin-server/src/store/types.js';

// The dispatcher reads each delivery's webhook through this cache. Its own bookkeeping (the
// event_count it adds up, date_last_failed) is published as `webhook.changed` for viewers; that
// must not empty the cache, or every count written (all webhooks, twice a second under load)
// makes the next delivery of each read its webhook again. A change of the webhook itself must.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setUp() {
  const store = openSqliteStore(':memory:');
  const bus = createMemoryBus(() => {});
  // Long enough that nothing in the test expires by time: only events can drop an entry.
  const cache = new WebhookCache(store.webhooks, 3_600_000);
  const pushes = createWebhookPushes(store.webhooks, bus);
  const counts = createEventCounts(
    store.webhooks,
    () => Date.now(),
    (message) => {
      throw new Error(message);
    },
    (id) => pushes.changed(id),
  );
  cleanup.push(cache.follow(bus), counts.stop, pushes.stop, () => store.close());
  const now = Date.now();
  const webhook = await store.webhooks.create({
    name: 'Hook',
    webhookUrl: 'http://127.0.0.1:9/hook',
    event: 'payment_received',
    eventCount: 0,
    active: true,
    hidden: false,
    integration: 'manual',
    dateCreated: now,
    dateModified: now,
    dateLastFailed: undefined,
    migratedFromId: 0,
    profile: 'standard',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });
  const changes: SandboxWebhook[] = [];
  cleanup.push(
    bus.subscribe('sandbox', (event) => {
      if (event.type === 'webhook.changed') changes.push(event.webhook);
    }),
  );
  return { store, bus, cache, pushes, counts, webhook, changes };
}

describe("the dispatcher's webhook cache", () => {
  it('keeps a webhook whose delivery count or date_last_failed was written; viewers still hear of it', async () => {
    const { store, cache, pushes, counts, webhook, changes } = await setUp();
    const cached = await cache.get(webhook.id);
    expect(cached).toMatchObject({ id: webhook.id, eventCount: 0 });

    counts.add(webhook.id);
    counts.add(webhook.id);
    await counts.flush();
    await pushes.flush();
    // As the sender does after a failed delivery.
    await store.webhooks.update(webhook.id, { dateLastFailed: 1234 });
    pushes.changed(webhook.id);
    await pushes.flush();

    expect(changes.map((w) => [w.eventCount, w.dateLastFailed])).toEqual([
      [2, undefined],
      [2, 1234],
    ]);
    // The same object: not read from the store again.
    expect(await cache.get(webhook.id)).toBe(cached);
  });

  it('drops a webhook that was changed or deleted', async () => {
    const { store, bus, cache, webhook } = await setUp();
    const cached = await cache.get(webhook.id);

    // As updateWebhook (the API) does.
    const updated = await store.webhooks.update(webhook.id, {
      secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
    });
    bus.publish({ type: 'webhook.changed', webhook: updated! });
    const reread = await cache.get(webhook.id);
    expect(reread).not.toBe(cached);
    expect(reread?.secret).toBe('whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD');

    await store.webhooks.delete(webhook.id);
    bus.publish({ type: 'webhook.deleted', id: webhook.id });
    expect(await cache.get(webhook.id)).toBeUndefined();
  });
});
