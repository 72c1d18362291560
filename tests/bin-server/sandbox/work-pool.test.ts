import { afterEach, describe, expect, it } from 'vitest';
import { createWorkPool, type Send } from '../../../bin-server/src/sandbox/dispatch/work-pool.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type { Store } from '../../../bin-server/src/store/types.js';

// The dispatcher sends a fire's claimed deliveries before it writes the attempts of those
// answered first (`afterSends`): a record waits until no claimed delivery waits for a slot,
// or at most `recordDelayMs`. Sends here are the test's own: each one is answered (its slot
// freed) when the test says so.

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function outbox(deliveries: number): Promise<Store> {
  const store = openSqliteStore(':memory:');
  cleanup.push(() => store.close());
  await store.deliveries.enqueue(
    Array.from({ length: deliveries }, (_, i) => ({
      id: `msg_${String(i).padStart(3, '0')}`,
      webhookId: 1,
      event: 'payment_received',
      payload: '{}',
      profile: 'standard' as const,
      url: 'http://127.0.0.1:9/hook',
      createdAt: 0,
    })),
  );
  return store;
}

/** Sends that wait for `answer(id)`, then free their slot and wait for `afterSends`. */
function heldSends() {
  const started: string[] = [];
  const answers = new Map<string, () => void>();
  const recorded: Array<{ id: string; startedBefore: number }> = [];
  let afterSends: () => Promise<void> = () => Promise.resolve();
  const send: Send = async (delivery, free) => {
    started.push(delivery.id);
    await new Promise<void>((resolve) => answers.set(delivery.id, resolve));
    free();
    await afterSends();
    recorded.push({ id: delivery.id, startedBefore: started.length });
  };
  return {
    send,
    started,
    recorded,
    answer: (id: string) => answers.get(id)!(),
    recordAfter: (wait: () => Promise<void>) => (afterSends = wait),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A pool over `store`'s outbox sending with `sends`, whose records wait for its afterSends. */
function poolOf(
  store: Store,
  sends: ReturnType<typeof heldSends>,
  limits: { batchSize: number; concurrency: number; perTarget: number; recordDelayMs: number },
) {
  const pool = createWorkPool({
    deliveries: store.deliveries,
    owner: 'test',
    now: () => 1,
    leaseMs: 60_000,
    signal: new AbortController().signal,
    wake: () => {},
    send: sends.send,
    ...limits,
  });
  sends.recordAfter(() => pool.afterSends());
  return pool;
}

describe('dispatcher work pool: sends first, records after', () => {
  it('holds the records of answered sends until every claimed delivery has been sent', async () => {
    const store = await outbox(6);
    const sends = heldSends();
    // Never by time in this test: only the sends can let the records go.
    const pool = poolOf(store, sends, {
      batchSize: 6,
      concurrency: 3,
      perTarget: 3,
      recordDelayMs: 3_600_000,
    });
    expect(await pool.claim()).toEqual({ claimed: 6, asked: 6 });
    expect(sends.started).toHaveLength(3);

    // Answer one at a time: each frees a slot for the next claimed delivery.
    for (let answered = 0; answered < 2; answered++) {
      sends.answer(sends.started[answered]!);
      await settle();
      expect(sends.started).toHaveLength(4 + answered);
      expect(sends.recorded).toEqual([]);
    }
    // The third answer starts the sixth: nothing waits for a slot any more, and the three
    // answered are recorded.
    sends.answer(sends.started[2]!);
    await settle();
    expect(sends.recorded.map((r) => r.startedBefore)).toEqual([6, 6, 6]);
    for (const id of sends.started.slice(3)) sends.answer(id);
    await pool.settled();
    expect(sends.recorded.map((r) => r.id).sort()).toEqual(sends.started.slice().sort());
  });

  it('lets records go after recordDelayMs when the claimed work cannot be sent', async () => {
    const store = await outbox(3);
    const sends = heldSends();
    const pool = poolOf(store, sends, {
      batchSize: 3,
      concurrency: 2,
      perTarget: 1,
      recordDelayMs: 1,
    });
    await pool.claim();
    sends.answer(sends.started[0]!);
    // The second one started and hangs (its target holds the only slot); the third still waits,
    // yet the first one's record is not held back beyond the delay.
    await pool.afterSends();
    await settle();
    expect(sends.started).toHaveLength(2);
    expect(sends.recorded.map((r) => r.id)).toEqual([sends.started[0]]);
    sends.answer(sends.started[1]!);
    await settle();
    sends.answer(sends.started[2]!);
    await pool.settled();
    expect(sends.recorded).toHaveLength(3);
  });

  it('lets every held record go when the waiting work is given back (stop)', async () => {
    const store = await outbox(4);
    const sends = heldSends();
    const pool = poolOf(store, sends, {
      batchSize: 4,
      concurrency: 2,
      perTarget: 1,
      recordDelayMs: 3_600_000,
    });
    await pool.claim();
    sends.answer(sends.started[0]!);
    await settle();
    expect(sends.recorded).toEqual([]);
    await pool.releaseWaiting();
    await settle();
    expect(sends.recorded.map((r) => r.id)).toEqual([sends.started[0]]);
    sends.answer(sends.started[1]!);
    await pool.settled();
    // The two never started are pending in the outbox again.
    const pending = await store.deliveries.list({ status: 'pending', limit: 10 });
    expect(pending.items).toHaveLength(2);
  });
});
