import { describe, expect, it } from 'vitest';
import type { CapturedRequest, Store, StoredReplay } from '../../../bin-server/src/store/types.js';

/** The replay part of the Store contract (contract.ts runs it on every driver). */
export function defineReplayStoreContract(fresh: () => Promise<Store>): void {
  describe('replays', () => {
    let counter = 0;
    const id = (prefix: string) =>
      `${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2)}`;

    async function captured(
      store: Store,
      binId: string,
      body: Uint8Array = Buffer.from([0x7b, 0xff, 0x00, 0x7d]),
      maxPerBin = 100,
    ): Promise<CapturedRequest> {
      if (!(await store.bins.get(binId)))
        await store.bins.create({ id: binId, name: binId, now: 1 });
      return store.requests.insert(
        {
          id: id('req'),
          binId,
          receivedAt: 1_700_000_000_000,
          method: 'POST',
          path: '/hooks',
          query: 'a=1',
          rawHeaders: ['Content-Type', 'application/json'],
          body,
          remoteAddress: '127.0.0.1',
          recognition: undefined,
        },
        maxPerBin,
      );
    }

    function replay(
      request: CapturedRequest,
      createdAt: number,
      body: Uint8Array | undefined = undefined,
    ): StoredReplay {
      return {
        id: id('rpl'),
        binId: request.binId,
        requestId: request.id,
        createdAt,
        edited: {
          method: false,
          path: false,
          headers: body !== undefined,
          body: body !== undefined,
        },
        attempt: {
          startedAt: new Date(createdAt).toISOString(),
          durationMs: 12,
          request: {
            method: request.method,
            url: 'http://127.0.0.1:9/hooks?a=1',
            headers: [
              ['Host', '127.0.0.1:9'],
              ['X-Dup', 'a'],
              ['x-dup', 'b'],
            ],
            body: body ?? request.body,
          },
          status: 202,
          responseHeaders: [['Content-Type', 'text/plain']],
          responseBody: 'accepted ✓',
          responseTruncated: false,
        },
      };
    }

    it('records replays exactly and lists them newest first, each with the body it sent', async () => {
      const store = await fresh();
      const request = await captured(store, 'replayed');
      const first = replay(request, 1000);
      const edited = replay(request, 2000, Buffer.from('{"edited":true}'));
      const failed: StoredReplay = {
        ...replay(request, 3000),
        attempt: {
          startedAt: new Date(3000).toISOString(),
          durationMs: 3,
          request: replay(request, 3000).attempt.request,
          error: { kind: 'refused', message: 'Could not connect', code: 'ECONNREFUSED' },
        },
      };
      for (const r of [first, edited, failed]) expect(await store.replays.record(r, 10)).toBe(true);

      const listed = await store.replays.list('replayed', request.id);
      expect(listed.map((r) => r.id)).toEqual([failed.id, edited.id, first.id]);
      const normalized = listed.map((r) => ({
        ...r,
        attempt: {
          ...r.attempt,
          request: { ...r.attempt.request, body: Buffer.from(r.attempt.request.body) },
        },
      }));
      const expected = [failed, edited, first].map((r) => ({
        ...r,
        attempt: {
          ...r.attempt,
          request: { ...r.attempt.request, body: Buffer.from(r.attempt.request.body) },
        },
      }));
      expect(normalized).toEqual(expected);
      // Another bin's id for the same request finds nothing.
      expect(await store.replays.list('other-bin', request.id)).toEqual([]);
    });

    it('keeps only the newest `keep` replays of a request', async () => {
      const store = await fresh();
      const request = await captured(store, 'bounded');
      const other = await captured(store, 'bounded');
      const made = [];
      for (let i = 1; i <= 5; i++) {
        const r = replay(request, i);
        made.push(r);
        await store.replays.record(r, 3);
      }
      await store.replays.record(replay(other, 9), 3);
      expect((await store.replays.list('bounded', request.id)).map((r) => r.id)).toEqual(
        made
          .slice(2)
          .reverse()
          .map((r) => r.id),
      );
      expect(await store.replays.list('bounded', other.id)).toHaveLength(1);
    });

    it('refuses a replay of a request that is not there', async () => {
      const store = await fresh();
      const request = await captured(store, 'gone');
      await store.requests.delete('gone', request.id);
      expect(await store.replays.record(replay(request, 1), 10)).toBe(false);
      // Nor under another bin's id.
      const kept = await captured(store, 'gone');
      expect(await store.replays.record({ ...replay(kept, 1), binId: 'elsewhere' }, 10)).toBe(
        false,
      );
      expect(await store.replays.list('gone', kept.id)).toEqual([]);
    });

    it('deletes the replays with their request: deleted, cleared, evicted, or with the bin', async () => {
      const store = await fresh();
      const withReplays = async (binId: string, maxPerBin = 100) => {
        const request = await captured(store, binId, undefined, maxPerBin);
        expect(await store.replays.record(replay(request, 1), 10)).toBe(true);
        expect(await store.replays.list(binId, request.id)).toHaveLength(1);
        return request;
      };
      const gone = async (request: CapturedRequest) => {
        expect(await store.replays.list(request.binId, request.id)).toEqual([]);
      };

      const deleted = await withReplays('del');
      const survivor = await withReplays('del');
      await store.requests.delete('del', deleted.id);
      await gone(deleted);
      expect(await store.replays.list('del', survivor.id)).toHaveLength(1);

      const cleared = await withReplays('clr');
      await store.requests.clear('clr');
      await gone(cleared);

      const evicted = await withReplays('ring', 1);
      await captured(store, 'ring', undefined, 1);
      expect(await store.requests.get('ring', evicted.id)).toBeUndefined();
      await gone(evicted);

      const binGone = await withReplays('bin-gone');
      await store.bins.delete('bin-gone');
      await gone(binGone);

      const expired = await withReplays('expired');
      await store.bins.touch('del', 10);
      await store.bins.expire(2);
      await gone(expired);

      // Only the survivor's replay remains.
      const all = await Promise.all(
        [deleted, survivor, cleared, evicted, binGone, expired].map((r) =>
          store.replays.list(r.binId, r.id),
        ),
      );
      expect(all.flat().map((r) => r.requestId)).toEqual([survivor.id]);
    });
  });
}
