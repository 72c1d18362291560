import { afterEach, describe, expect, it } from 'vitest';
import type {
  CapturedRequest,
  Recognition,
  ResponseRule,
  Store,
} from '../../../bin-server/src/store/types.js';
import { defineForwardStoreContract } from './contract-forwards.js';
import { defineReplayStoreContract } from './contract-replays.js';
import { defineSandboxStoreContract } from './contract-sandbox.js';

/**
 * The Store contract: every driver (SQLite file, in-memory SQLite, PostgreSQL) must pass it.
 * `open` returns a fresh, empty store each time; the suite closes what it opened.
 */
export function defineStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    async function fresh(): Promise<Store> {
      const store = await open();
      opened.push(store);
      return store;
    }

    let counter = 0;
    function request(
      binId: string,
      overrides: Partial<Omit<CapturedRequest, 'seq'>> = {},
    ): Omit<CapturedRequest, 'seq'> {
      counter += 1;
      return {
        id: `req_contract_${process.pid}_${counter}_${Math.random().toString(36).slice(2)}`,
        binId,
        receivedAt: 1_700_000_000_000 + counter,
        method: 'POST',
        path: '/',
        query: '',
        rawHeaders: ['Content-Type', 'application/json'],
        body: Buffer.from('{}'),
        remoteAddress: '127.0.0.1',
        recognition: undefined,
        ...overrides,
      };
    }

    describe('bins', () => {
      it('creates a bin and reads it back', async () => {
        const store = await fresh();
        const created = await store.bins.create({ id: 'bin-one', name: 'One', now: 1000 });
        expect(created).toEqual({
          id: 'bin-one',
          name: 'One',
          createdAt: 1000,
          lastUsedAt: 1000,
          response: undefined,
          requestCount: 0,
          evictedCount: 0,
          rules: [],
        });
        expect(await store.bins.get('bin-one')).toEqual(created);
        expect(await store.bins.get('bin-two')).toBeUndefined();
      });

      it('keeps a custom response exactly, header order and duplicates included', async () => {
        const store = await fresh();
        const response = {
          status: 202,
          headers: [
            ['X-B', '2'],
            ['Set-Cookie', 'a=1'],
            ['Set-Cookie', 'b=2'],
          ] as Array<[string, string]>,
          body: '{"accepted":true} ✓',
          delayMs: 250,
        };
        await store.bins.create({ id: 'custom', name: 'c', response, now: 1 });
        expect((await store.bins.get('custom'))?.response).toEqual(response);
      });

      it('refuses a second bin with the same id (code bin_exists)', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'taken', name: 'first', now: 1 });
        await expect(
          store.bins.create({ id: 'taken', name: 'second', now: 2 }),
        ).rejects.toMatchObject({ code: 'bin_exists' });
        expect((await store.bins.get('taken'))?.name).toBe('first');
      });

      it('lists bins newest first', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'older', name: 'a', now: 10 });
        await store.bins.create({ id: 'newer', name: 'b', now: 30 });
        await store.bins.create({ id: 'middle', name: 'c', now: 20 });
        expect((await store.bins.list()).map((b) => b.id)).toEqual(['newer', 'middle', 'older']);
      });

      it('updates name and response, clears the response with null, and counts as use', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'upd8', name: 'before', now: 10 });
        const response = { status: 418, headers: [], body: 'teapot', delayMs: 0 };
        const updated = await store.bins.update('upd8', { name: 'after', response }, 20);
        expect(updated).toMatchObject({ name: 'after', response, lastUsedAt: 20, createdAt: 10 });
        const nameOnly = await store.bins.update('upd8', { name: 'again' }, 30);
        expect(nameOnly?.response).toEqual(response);
        const cleared = await store.bins.update('upd8', { response: null }, 40);
        expect(cleared?.response).toBeUndefined();
        expect(cleared?.name).toBe('again');
        expect(await store.bins.update('nope', { name: 'x' }, 50)).toBeUndefined();
      });

      it('keeps a signing secret: at creation, replaced, untouched by other updates, cleared', async () => {
        const store = await fresh();
        const created = await store.bins.create({
          id: 'signed',
          name: 's',
          signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          now: 1,
        });
        expect(created.signingSecret).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
        const replaced = await store.bins.update('signed', { signingSecret: 'whsec_b3RoZXI=' }, 2);
        expect(replaced?.signingSecret).toBe('whsec_b3RoZXI=');
        const renamed = await store.bins.update('signed', { name: 'renamed' }, 3);
        expect(renamed?.signingSecret).toBe('whsec_b3RoZXI=');
        const cleared = await store.bins.update('signed', { signingSecret: null }, 4);
        expect(cleared?.signingSecret).toBeUndefined();
        expect((await store.bins.get('signed'))?.signingSecret).toBeUndefined();
        const plain = await store.bins.create({ id: 'unsigned', name: 'u', now: 5 });
        expect(plain.signingSecret).toBeUndefined();
      });

      it('keeps a bin’s own request limit: at creation, replaced, untouched by other updates, cleared', async () => {
        const store = await fresh();
        const created = await store.bins.create({
          id: 'limited',
          name: 'l',
          maxRequests: 5,
          now: 1,
        });
        expect(created.maxRequests).toBe(5);
        expect((await store.bins.update('limited', { maxRequests: 7 }, 2))?.maxRequests).toBe(7);
        expect((await store.bins.update('limited', { name: 'n' }, 3))?.maxRequests).toBe(7);
        expect(
          (await store.bins.update('limited', { maxRequests: null }, 4))?.maxRequests,
        ).toBeUndefined();
        expect((await store.bins.get('limited'))?.maxRequests).toBeUndefined();
        expect(
          (await store.bins.create({ id: 'unlimited', name: 'u', now: 5 })).maxRequests,
        ).toBeUndefined();
      });

      it('keeps response rules in order, untouched by other updates, and counts matches per rule', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'ruled', name: 'r', now: 1 });
        const rules: ResponseRule[] = [
          {
            name: 'first three fail',
            match: { methods: ['POST'], path: '/p/**', body: [{ field: 'site.id', oneOf: ['1'] }] },
            status: 200,
            headers: [
              ['X-A', '1'],
              ['x-a', '2'],
            ],
            body: '{{method}} ünï',
            template: true,
            delayMs: 5,
            delayMaxMs: 10,
            fault: { kind: 'fail_first', count: 3, status: 503 },
          },
          {
            name: '',
            match: {},
            status: 204,
            headers: [],
            body: '',
            template: false,
            delayMs: 0,
            fault: { kind: 'trickle', bytesPerSecond: 10 },
          },
        ];
        expect((await store.bins.update('ruled', { rules }, 2))?.rules).toEqual(rules);
        expect((await store.bins.update('ruled', { name: 'n' }, 3))?.rules).toEqual(rules);
        expect((await store.bins.get('ruled'))?.rules).toEqual(rules);

        // Atomic counts per rule, also when several race.
        const counts = await Promise.all(
          Array.from({ length: 10 }, () => store.bins.countMatch('ruled', 0)),
        );
        expect(counts.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await store.bins.countMatch('ruled', 1)).toBe(1);
        expect(await store.bins.countMatch('missing', 0)).toBe(0);
        // Saving rules starts the counts again; so does a bin deleted and re-created.
        await store.bins.update('ruled', { rules }, 4);
        expect(await store.bins.countMatch('ruled', 0)).toBe(1);
        expect(await store.bins.countMatch('ruled', 0)).toBe(2);
        await store.bins.delete('ruled');
        await store.bins.create({ id: 'ruled', name: 'again', now: 5 });
        expect((await store.bins.get('ruled'))?.rules).toEqual([]);
        expect(await store.bins.countMatch('ruled', 0)).toBe(1);
        expect((await store.bins.update('ruled', { rules: [] }, 6))?.rules).toEqual([]);
      });

      it('touch refreshes the TTL clock', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'touched', name: 't', now: 100 });
        await store.bins.touch('touched', 500);
        expect((await store.bins.get('touched'))?.lastUsedAt).toBe(500);
        await store.bins.touch('missing', 500); // no error
      });

      it('deletes a bin with its requests', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'doomed', name: 'd', now: 1 });
        const r = await store.requests.insert(request('doomed'), 10);
        expect(await store.bins.delete('doomed')).toBe(true);
        expect(await store.bins.get('doomed')).toBeUndefined();
        expect(await store.requests.get('doomed', r.id)).toBeUndefined();
        expect(await store.bins.delete('doomed')).toBe(false);
        // A bin re-created with the same id starts empty.
        await store.bins.create({ id: 'doomed', name: 'again', now: 2 });
        const page = await store.requests.list('doomed', { limit: 10, includeBody: false });
        expect(page.items).toEqual([]);
        expect((await store.requests.insert(request('doomed'), 10)).seq).toBe(1);
      });

      it('expires bins unused since the cut-off, with their requests, and keeps the rest', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'stale-1', name: 's', now: 100 });
        await store.bins.create({ id: 'stale-2', name: 's', now: 150 });
        await store.bins.create({ id: 'fresh-1', name: 'f', now: 100 });
        await store.bins.touch('fresh-1', 300);
        await store.bins.create({ id: 'fresh-2', name: 'f', now: 200 });
        const old = await store.requests.insert(request('stale-1'), 10);
        const kept = await store.requests.insert(request('fresh-1'), 10);
        expect(await store.bins.expire(200)).toBe(2);
        expect((await store.bins.list()).map((b) => b.id).sort()).toEqual(['fresh-1', 'fresh-2']);
        expect(await store.requests.get('stale-1', old.id)).toBeUndefined();
        expect(await store.requests.get('fresh-1', kept.id)).toBeDefined();
        expect(await store.bins.expire(200)).toBe(0);
      });

      it('does not count captured traffic as use', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'quiet', name: 'q', now: 100 });
        await store.requests.insert(request('quiet', { receivedAt: 999 }), 10);
        expect((await store.bins.get('quiet'))?.lastUsedAt).toBe(100);
      });
    });

    describe('requests', () => {
      it('stores exact bytes, headers in order with case and duplicates, and reads them back', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'exact', name: 'e', now: 1 });
        const body = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x0a, 0xc3, 0x28]);
        const recognition: Recognition = {
          expected: 'payment_received',
          candidates: [
            { event: 'payment_received', score: 0.9, missing: ['x'], extra: [], tie: false },
          ],
          checkedEvent: 'payment_received',
          issues: [
            {
              path: 'payment_id',
              code: 'missing',
              severity: 'error',
              message: 'payment_id is missing',
            },
          ],
        };
        const input = request('exact', {
          method: 'PATCH',
          path: '/a/b%20c/',
          query: 'x=1&x=2&y',
          rawHeaders: ['X-Dup', 'one', 'content-TYPE', 'application/octet-stream', 'x-dup', 'two'],
          body,
          remoteAddress: '::1',
          recognition,
          answer: {
            rule: 1,
            ruleName: 'first three fail',
            status: 503,
            fault: 'fail_first',
            detail: 'match 1 of the first 3',
          },
        });
        const stored = await store.requests.insert(input, 10);
        expect(stored).toEqual({ ...input, seq: 1 });
        const read = await store.requests.get('exact', input.id);
        expect(read).toBeDefined();
        expect(Buffer.from(read!.body).equals(body)).toBe(true);
        const { body: _b, ...rest } = read!;
        const { body: _i, ...expected } = input;
        expect(rest).toEqual({ ...expected, seq: 1 });
        const listed = await store.requests.list('exact', { limit: 1, includeBody: false });
        expect(listed.items[0]?.answer).toEqual(input.answer);
        // A request is only found through its own bin.
        await store.bins.create({ id: 'other', name: 'o', now: 1 });
        expect(await store.requests.get('other', input.id)).toBeUndefined();
      });

      it('keeps an empty body and a missing content type', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'empty', name: 'e', now: 1 });
        const input = request('empty', { method: 'GET', body: new Uint8Array(0), rawHeaders: [] });
        await store.requests.insert(input, 10);
        const page = await store.requests.list('empty', { limit: 10, includeBody: true });
        expect(page.items[0]).toMatchObject({ size: 0, contentType: '' });
        expect(page.items[0]!.body!.byteLength).toBe(0);
      });

      it('refuses a request for a bin that does not exist (code bin_not_found)', async () => {
        const store = await fresh();
        await expect(store.requests.insert(request('ghost'), 10)).rejects.toMatchObject({
          code: 'bin_not_found',
        });
      });

      it('numbers concurrent inserts 1..n without gaps or duplicates, and fails only the bad ones', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'busy', name: 'b', now: 1 });
        await store.bins.create({ id: 'busy-2', name: 'b', now: 1 });
        const target = (i: number) => (i % 3 === 0 ? 'busy-2' : i % 50 === 1 ? 'ghost' : 'busy');
        const targets = Array.from({ length: 300 }, (_, i) => target(i));
        const results = await Promise.allSettled(
          targets.map((bin) => store.requests.insert(request(bin), 1000)),
        );
        const count = (bin: string) => targets.filter((t) => t === bin).length;
        expect(count('ghost')).toBeGreaterThan(0);
        results.forEach((result, i) => {
          expect(result.status).toBe(targets[i] === 'ghost' ? 'rejected' : 'fulfilled');
        });
        const seqs = (bin: string) =>
          results
            .flatMap((r) =>
              r.status === 'fulfilled' && r.value.binId === bin ? [r.value.seq] : [],
            )
            .sort((a, b) => a - b);
        expect(seqs('busy')).toEqual(Array.from({ length: count('busy') }, (_, i) => i + 1));
        expect(seqs('busy-2')).toEqual(Array.from({ length: count('busy-2') }, (_, i) => i + 1));
        expect((await store.bins.get('busy'))?.requestCount).toBe(count('busy'));
        const page = await store.requests.list('busy', { limit: 500, includeBody: false });
        expect(page.items).toHaveLength(count('busy'));
      });

      it('keeps only the newest maxPerBin requests and counts the evicted ones', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'ring', name: 'r', now: 1 });
        const inserted = [];
        for (let i = 0; i < 5; i++) inserted.push(await store.requests.insert(request('ring'), 3));
        let page = await store.requests.list('ring', { limit: 10, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual([5, 4, 3]);
        expect(await store.bins.get('ring')).toMatchObject({ requestCount: 5, evictedCount: 2 });
        expect(await store.requests.get('ring', inserted[0]!.id)).toBeUndefined();
        // Concurrent inserts past the cap evict in the same way.
        await Promise.all(
          Array.from({ length: 10 }, () => store.requests.insert(request('ring'), 3)),
        );
        page = await store.requests.list('ring', { limit: 10, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual([15, 14, 13]);
        expect(await store.bins.get('ring')).toMatchObject({ requestCount: 15, evictedCount: 12 });
        // A lower cap (a restart with a smaller --max-requests) trims at the next insert.
        await store.requests.insert(request('ring'), 1);
        page = await store.requests.list('ring', { limit: 10, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual([16]);
        expect((await store.bins.get('ring'))?.evictedCount).toBe(15);
      });

      it('trims to a lower limit at once, counted as evicted, and capture goes on from there', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'trimmed', name: 't', now: 1 });
        for (let i = 0; i < 6; i++) await store.requests.insert(request('trimmed'), 10);
        expect(await store.requests.trim('trimmed', 10)).toBe(0);
        expect(await store.requests.trim('trimmed', 2)).toBe(4);
        let page = await store.requests.list('trimmed', { limit: 10, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual([6, 5]);
        expect(await store.bins.get('trimmed')).toMatchObject({ requestCount: 6, evictedCount: 4 });
        expect(await store.requests.trim('trimmed', 2)).toBe(0);
        await store.requests.insert(request('trimmed'), 2);
        page = await store.requests.list('trimmed', { limit: 10, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual([7, 6]);
        expect((await store.bins.get('trimmed'))?.evictedCount).toBe(5);
        expect(await store.requests.trim('no-such-bin', 1)).toBe(0);
      });

      it('does not count deleted requests as evicted', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'manual', name: 'm', now: 1 });
        const a = await store.requests.insert(request('manual'), 2);
        await store.requests.insert(request('manual'), 2);
        expect(await store.requests.delete('manual', a.id)).toBe(true);
        expect(await store.requests.delete('manual', a.id)).toBe(false);
        await store.requests.insert(request('manual'), 2);
        expect(await store.bins.get('manual')).toMatchObject({ requestCount: 3, evictedCount: 0 });
        await store.requests.insert(request('manual'), 2);
        expect(await store.bins.get('manual')).toMatchObject({ requestCount: 4, evictedCount: 1 });
        expect(await store.requests.clear('manual')).toBe(2);
        expect(await store.requests.clear('manual')).toBe(0);
        expect(
          (await store.requests.list('manual', { limit: 5, includeBody: false })).items,
        ).toEqual([]);
        expect((await store.bins.get('manual'))?.requestCount).toBe(4);
      });

      it('pages newest first with a cursor, with or without bodies', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'pages', name: 'p', now: 1 });
        for (let i = 1; i <= 7; i++) {
          await store.requests.insert(request('pages', { body: Buffer.from(`body ${i}`) }), 100);
        }
        const seen: number[] = [];
        let before: number | undefined;
        let pages = 0;
        do {
          const page = await store.requests.list('pages', { limit: 3, includeBody: false, before });
          pages += 1;
          for (const item of page.items) {
            expect(item).not.toHaveProperty('body');
            expect(item.size).toBe(`body ${item.seq}`.length);
            seen.push(item.seq);
          }
          before = page.nextBefore;
        } while (before !== undefined);
        expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
        expect(pages).toBe(3);
        const withBody = await store.requests.list('pages', { limit: 2, includeBody: true });
        expect(withBody.items.map((r) => Buffer.from(r.body!).toString())).toEqual([
          'body 7',
          'body 6',
        ]);
        expect(withBody.nextBefore).toBe(6);
        const exact = await store.requests.list('pages', { limit: 7, includeBody: false });
        expect(exact.nextBefore).toBeUndefined();
      });

      it('filters by method, by event and by text, alone and together', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'filters', name: 'f', now: 1 });
        const recognized = (event: string, tieWith?: string): Recognition => ({
          expected: undefined,
          candidates: [
            { event, score: 1, missing: [], extra: [], tie: tieWith !== undefined },
            ...(tieWith ? [{ event: tieWith, score: 1, missing: [], extra: [], tie: true }] : []),
            { event: 'site_published', score: 0.4, missing: [], extra: [], tie: false },
          ],
          checkedEvent: event,
          issues: [],
        });
        const put = (overrides: Partial<Omit<CapturedRequest, 'seq'>>) =>
          store.requests.insert(request('filters', overrides), 100);
        const r1 = await put({ method: 'GET', path: '/Orders/42', query: 'q=caf%C3%A9+au+lait' });
        const r2 = await put({
          body: Buffer.from('{"customer":"Zoë ÄRGER"}'),
          recognition: recognized('payment_received'),
        });
        const r3 = await put({
          rawHeaders: ['X-Signature', 'sha256=AbCdEf', 'Content-Type', 'text/plain'],
          body: Buffer.from('plain words'),
          recognition: recognized('membership_created', 'membership_renewed'),
        });
        const r4 = await put({ method: 'PUT', body: Buffer.from([0xff, 0x00, 0x41, 0x42]) });
        const ids = async (query: Parameters<Store['requests']['list']>[1]) =>
          (await store.requests.list('filters', query)).items.map((r) => r.id);
        const base = { limit: 50, includeBody: false };
        expect(await ids({ ...base, method: 'get' })).toEqual([r1.id]);
        expect(await ids({ ...base, method: 'POST' })).toEqual([r3.id, r2.id]);
        expect(await ids({ ...base, event: 'payment_received' })).toEqual([r2.id]);
        // Tied best candidates match too; runners-up do not.
        expect(await ids({ ...base, event: 'membership_renewed' })).toEqual([r3.id]);
        expect(await ids({ ...base, event: 'site_published' })).toEqual([]);
        expect(await ids({ ...base, event: 'payment' })).toEqual([]);
        expect(await ids({ ...base, q: 'orders/42' })).toEqual([r1.id]);
        expect(await ids({ ...base, q: 'café au lait' })).toEqual([r1.id]);
        expect(await ids({ ...base, q: 'zoë ärger' })).toEqual([r2.id]);
        expect(await ids({ ...base, q: 'x-signature: sha256=abcdef' })).toEqual([r3.id]);
        expect(await ids({ ...base, q: 'TEXT/PLAIN' })).toEqual([r3.id]);
        expect(await ids({ ...base, q: 'AB' })).toContain(r4.id);
        expect(await ids({ ...base, q: 'put' })).toEqual([r4.id]);
        expect(await ids({ ...base, q: 'nothing like this' })).toEqual([]);
        expect(await ids({ ...base, q: 'words', method: 'POST' })).toEqual([r3.id]);
        expect(await ids({ ...base, q: 'words', method: 'GET' })).toEqual([]);
        expect(await ids({ ...base, q: 'customer', event: 'payment_received' })).toEqual([r2.id]);
        const withBodies = await store.requests.list('filters', {
          limit: 50,
          includeBody: true,
          q: 'plain',
        });
        expect(Buffer.from(withBodies.items[0]!.body!).toString()).toBe('plain words');
      });

      it('pages through text search results with the cursor', async () => {
        const store = await fresh();
        await store.bins.create({ id: 'search', name: 's', now: 1 });
        for (let i = 1; i <= 12; i++) {
          const body = Buffer.from(i % 2 === 0 ? `needle ${i}` : `hay ${i}`);
          await store.requests.insert(request('search', { body }), 100);
        }
        const seen: number[] = [];
        let before: number | undefined;
        for (let guard = 0; guard < 10; guard++) {
          const page = await store.requests.list('search', {
            limit: 2,
            includeBody: false,
            q: 'NEEDLE',
            before,
          });
          seen.push(...page.items.map((r) => r.seq));
          before = page.nextBefore;
          if (before === undefined) break;
        }
        expect(seen).toEqual([12, 10, 8, 6, 4, 2]);
        expect(before).toBeUndefined();
      });
    });

    describe('settings', () => {
      it('stores, overwrites and reads values', async () => {
        const store = await fresh();
        expect(await store.settings.get('missing')).toBeUndefined();
        await store.settings.set('key', 'one');
        await store.settings.set('other', 'x');
        await store.settings.set('key', 'two');
        expect(await store.settings.get('key')).toBe('two');
        expect(await store.settings.get('other')).toBe('x');
      });

      it('setIfAbsent keeps the first value, also when several race', async () => {
        const store = await fresh();
        const raced = await Promise.all(
          ['a', 'b', 'c', 'd'].map((value) => store.settings.setIfAbsent('generated', value)),
        );
        expect(new Set(raced).size).toBe(1);
        expect(await store.settings.get('generated')).toBe(raced[0]);
        await store.settings.set('generated', 'configured');
        expect(await store.settings.setIfAbsent('generated', 'other')).toBe('configured');
      });
    });

    defineReplayStoreContract(fresh);
    defineForwardStoreContract(fresh);
    defineSandboxStoreContract(fresh);
  });
}
