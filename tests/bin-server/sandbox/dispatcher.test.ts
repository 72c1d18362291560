import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type { DeliveryJson } from '../../../bin-server/src/wire/sandbox.js';
import { tempDir } from '../../support/server.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { pairs, startReceiver, type Receiver } from '../../support/receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function hook(sandbox: Sandbox, url: string, event: string, profile = 'standard') {
  const res = await sandbox.api('POST', '/sandbox/webhooks', {
    name: `Hook ${event}`,
    webhook_url: url,
    event,
    profile,
  });
  expect(res.status).toBe(201);
}

async function fire(sandbox: Sandbox, event: string, times: number): Promise<string[]> {
  const answers = await Promise.all(
    Array.from({ length: times }, (_, i) =>
      sandbox.api('POST', '/sandbox/fire', { event, payload: { i } }),
    ),
  );
  return answers.flatMap((a) => {
    expect(a.status).toBe(202);
    return (a.json as { deliveries: string[] }).deliveries;
  });
}

const webhookIds = (receiver: Receiver) =>
  receiver.received.map((r) => pairs(r.rawHeaders).find(([k]) => k === 'webhook-id')?.[1]);

describe('dispatcher isolation and shutdown', () => {
  it('a hanging target holds only its own per-target slots; other targets are delivered meanwhile', async () => {
    const slow = await startReceiver(() => ({ hang: true }));
    const fast = await startReceiver();
    const sandbox = await startSandbox(
      {},
      { dispatcher: { perTarget: 3, concurrency: 8, batchSize: 4, stopGraceMs: 50 } },
    );
    cleanup.push(
      () => fast.close(),
      () => slow.close(),
      () => sandbox.close(),
    );

    await hook(sandbox, `${slow.url}/slow`, 'slow_event');
    await hook(sandbox, `${fast.url}/fast`, 'fast_event');
    await fire(sandbox, 'slow_event', 20);
    await slow.waitFor(3);
    const fastIds = await fire(sandbox, 'fast_event', 30);
    await fast.waitFor(30);

    expect(new Set(webhookIds(fast))).toEqual(new Set(fastIds));
    // The slow target never had more than its 3 slots, and still holds them.
    expect(slow.maxActive).toBe(3);
    expect(slow.received).toHaveLength(3);
    expect(fast.maxActive).toBeLessThanOrEqual(3);
    const pending = (await sandbox.api('GET', '/sandbox/deliveries?event=slow_event&limit=50'))
      .json as {
      items: DeliveryJson[];
    };
    // Claimed work for a full target is bounded (2 × perTarget, plus at most one claim batch
    // taken before it filled up); the rest waits in the outbox.
    const states = pending.items.map((d) => d.status);
    expect(states).toHaveLength(20);
    expect(states.filter((s) => s === 'delivering').length).toBeLessThanOrEqual(2 * 3 + 4);
    expect(states.filter((s) => s !== 'delivering' && s !== 'pending')).toEqual([]);
  });

  it('never runs more than `concurrency` sends at once over all targets', async () => {
    const receivers = await Promise.all(
      Array.from({ length: 4 }, () =>
        startReceiver(async () => {
          await new Promise((r) => setTimeout(r, 20));
          return {};
        }),
      ),
    );
    const sandbox = await startSandbox({}, { dispatcher: { perTarget: 4, concurrency: 6 } });
    cleanup.push(() => sandbox.close(), ...receivers.map((r) => () => r.close()));
    let peak = 0;
    let tracking = true;
    const sample = async () => {
      while (tracking) {
        peak = Math.max(
          peak,
          receivers.reduce((n, r) => n + r.active, 0),
        );
        await new Promise((r) => setImmediate(r));
      }
    };
    const sampler = sample();
    for (const [i, r] of receivers.entries())
      await hook(sandbox, `${r.url}/c`, 'spread_event', i % 2 ? 'plugin' : 'standard');
    await fire(sandbox, 'spread_event', 15);
    await Promise.all(receivers.map((r) => r.waitFor(15)));
    tracking = false;
    await sampler;
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(6);
    for (const r of receivers) expect(r.maxActive).toBeLessThanOrEqual(4);
  });

  it('stop() gives unsent and aborted work back to the outbox; the next run sends it (same webhook-id)', async () => {
    const data = path.join(tempDir('umhooks-dispatch-stop-'), 'data.db');
    let hang = true;
    const receiver = await startReceiver(() => (hang ? { hang: true } : {}));
    cleanup.push(() => receiver.close());
    const first = await startSandbox(
      { memory: false, data },
      { dispatcher: { perTarget: 2, stopGraceMs: 50 } },
    );
    await hook(first, `${receiver.url}/stop`, 'stop_event');
    const ids = await fire(first, 'stop_event', 10);
    await receiver.waitFor(2);
    await first.close();

    // Everything is pending again: nothing lost, nothing half-recorded.
    const store = openSqliteStore(data);
    const page = await store.deliveries.list({ limit: 100 });
    expect(page.items).toHaveLength(10);
    for (const d of page.items) {
      expect(d).toMatchObject({ status: 'pending', attemptCount: 0, leaseOwner: undefined });
      expect(d.attempts).toEqual([]);
    }
    await store.close();

    hang = false;
    const seenBefore = receiver.received.length;
    const second = await startSandbox({ memory: false, data });
    cleanup.push(() => second.close());
    await receiver.waitFor(seenBefore + 10);
    await eventually(
      async () => {
        const done = (await second.api('GET', '/sandbox/deliveries?status=succeeded&limit=50'))
          .json as {
          items: DeliveryJson[];
        };
        return done.items.length === 10 ? true : undefined;
      },
      20_000,
      'all 10 deliveries to succeed after the restart',
    );
    const resent = webhookIds(receiver).slice(seenBefore);
    expect(resent.sort()).toEqual([...ids].sort());
    // The two that were in flight at stop were sent twice (at least once, same webhook-id).
    expect(
      webhookIds(receiver)
        .slice(0, seenBefore)
        .every((id) => ids.includes(id!)),
    ).toBe(true);
  });
});
