import { describe, expect, it } from 'vitest';
import type { CapturedRequest, Store } from '../../../bin-server/src/store/types.js';

/** The two-way forwarding part of the Store contract (contract.ts runs it on every driver). */
export function defineForwardStoreContract(fresh: () => Promise<Store>): void {
  let counter = 0;
  const id = (prefix: string) =>
    `${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2)}`;

  async function captured(store: Store, binId: string, maxPerBin = 100): Promise<CapturedRequest> {
    if (!(await store.bins.get(binId))) await store.bins.create({ id: binId, name: binId, now: 1 });
    return store.requests.insert(
      {
        id: id('req'),
        binId,
        receivedAt: 1_700_000_000_000,
        method: 'POST',
        path: '/',
        query: '',
        rawHeaders: [],
        body: Buffer.from('{}'),
        remoteAddress: '127.0.0.1',
        recognition: undefined,
      },
      maxPerBin,
    );
  }

  describe('forwards', () => {
    it('holds a request, settles it once (the first settlement wins) and reads it back', async () => {
      const store = await fresh();
      const request = await captured(store, 'fwd-bin-1');
      const where = { binId: request.binId, requestId: request.id };
      expect(await store.forwards.get(request.binId, request.id)).toBeUndefined();
      expect(await store.forwards.hold({ ...where, heldAt: 1000, timeoutMs: 5000 })).toBe(true);
      expect(await store.forwards.get(request.binId, request.id)).toEqual({
        ...where,
        heldAt: 1000,
        timeoutMs: 5000,
        outcome: 'pending',
        settledAt: undefined,
        reason: undefined,
        appMs: undefined,
        answer: undefined,
      });

      const body = new Uint8Array([0x00, 0xff, 0x7b, 0x0d, 0x0a]);
      const answer = {
        status: 201,
        statusText: 'Made It',
        headers: [
          ['X-Dup', 'a'],
          ['x-dup', 'b'],
          ['Content-Type', 'application/octet-stream'],
        ] as Array<[string, string]>,
        body,
      };
      expect(
        await store.forwards.settle(request.binId, request.id, {
          outcome: 'answered',
          at: 1200,
          appMs: 180,
          answer,
        }),
      ).toBe(true);
      // The timeout racing the answer loses: what was settled first stands.
      expect(
        await store.forwards.settle(request.binId, request.id, {
          outcome: 'timed_out',
          at: 6000,
          reason: 'too slow',
        }),
      ).toBe(false);
      expect(await store.forwards.get(request.binId, request.id)).toEqual({
        ...where,
        heldAt: 1000,
        timeoutMs: 5000,
        outcome: 'answered',
        settledAt: 1200,
        reason: undefined,
        appMs: 180,
        answer,
      });
      // Holding it again changes nothing.
      expect(await store.forwards.hold({ ...where, heldAt: 7000, timeoutMs: 1 })).toBe(false);
      expect((await store.forwards.get(request.binId, request.id))?.outcome).toBe('answered');
    });

    it('records why a hold ended without the app, and goes with its request', async () => {
      const store = await fresh();
      const request = await captured(store, 'fwd-bin-2');
      await store.forwards.hold({
        binId: request.binId,
        requestId: request.id,
        heldAt: 1,
        timeoutMs: 10,
      });
      await store.forwards.settle(request.binId, request.id, {
        outcome: 'gone',
        at: 5,
        reason: 'the forwarder disconnected',
      });
      expect(await store.forwards.get(request.binId, request.id)).toMatchObject({
        outcome: 'gone',
        settledAt: 5,
        reason: 'the forwarder disconnected',
        answer: undefined,
      });
      // Another bin's id does not reach it.
      expect(await store.forwards.get('fwd-other', request.id)).toBeUndefined();
      expect(await store.requests.delete(request.binId, request.id)).toBe(true);
      expect(await store.forwards.get(request.binId, request.id)).toBeUndefined();
      // A request that is gone cannot be held.
      expect(
        await store.forwards.hold({
          binId: request.binId,
          requestId: request.id,
          heldAt: 1,
          timeoutMs: 10,
        }),
      ).toBe(false);
      // Evicted by the ring buffer: its hold goes too.
      const first = await captured(store, 'fwd-bin-3', 1);
      await store.forwards.hold({
        binId: first.binId,
        requestId: first.id,
        heldAt: 1,
        timeoutMs: 9,
      });
      await captured(store, 'fwd-bin-3', 1);
      expect(await store.forwards.get(first.binId, first.id)).toBeUndefined();
    });
  });

  describe('responders', () => {
    it('lets one owner hold a bin until its lease runs out or it releases it', async () => {
      const store = await fresh();
      const { responders } = store;
      const lease = { timeoutMs: 3000, leaseMs: 1000 };
      expect(await responders.holder('rsp-bin', 0)).toBeUndefined();
      expect(await responders.claim('rsp-bin', 'one', { ...lease, now: 0 })).toBe(true);
      expect(await responders.holder('rsp-bin', 10)).toEqual({ owner: 'one', timeoutMs: 3000 });
      // Refused while the lease runs; the holder itself may claim again.
      expect(await responders.claim('rsp-bin', 'two', { ...lease, now: 500 })).toBe(false);
      expect(await responders.claim('rsp-bin', 'one', { ...lease, now: 500 })).toBe(true);
      // Renewed: still held past the first lease's end.
      await responders.renew(['one'], 900, 1000);
      expect(await responders.claim('rsp-bin', 'two', { ...lease, now: 1600 })).toBe(false);
      expect(await responders.holder('rsp-bin', 1899)).toMatchObject({ owner: 'one' });
      // Run out (the instance holding it died): another takes it over.
      expect(await responders.holder('rsp-bin', 1900)).toBeUndefined();
      expect(await responders.claim('rsp-bin', 'two', { ...lease, now: 1900 })).toBe(true);
      // Releasing is the owner's alone.
      await responders.release('rsp-bin', 'one');
      expect(await responders.holder('rsp-bin', 2000)).toMatchObject({ owner: 'two' });
      await responders.release('rsp-bin', 'two');
      expect(await responders.holder('rsp-bin', 2000)).toBeUndefined();
      expect(await responders.claim('rsp-bin', 'three', { ...lease, now: 2000 })).toBe(true);
    });

    it('grants a bin to exactly one of many owners claiming at once', async () => {
      const store = await fresh();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.responders.claim('rsp-race', `owner-${i}`, {
            timeoutMs: 1,
            now: 0,
            leaseMs: 60_000,
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
