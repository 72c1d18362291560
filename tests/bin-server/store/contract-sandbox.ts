import { describe, expect, it } from 'vitest';
import type {
  NewDelivery,
  NewWebhook,
  Store,
  StoredAttempt,
} from '../../../bin-server/src/store/types.js';

/**
 * The sandbox half of the Store contract (webhooks, the delivery outbox and its attempts), run by
 * defineStoreContract for every driver. `fresh` opens an empty store the caller closes.
 */
export function defineSandboxStoreContract(fresh: () => Promise<Store>): void {
  const webhook = (over: Partial<NewWebhook> = {}): NewWebhook => ({
    name: 'Hook',
    webhookUrl: 'https://a.example/hook',
    event: 'payment_received',
    eventCount: 0,
    active: true,
    hidden: false,
    integration: 'manual',
    dateCreated: 1000,
    dateModified: 1000,
    dateLastFailed: undefined,
    migratedFromId: 0,
    profile: 'plugin',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    ...over,
  });

  let n = 0;
  const delivery = (over: Partial<NewDelivery> = {}): NewDelivery => ({
    id: `msg_contract_${++n}`,
    webhookId: 1,
    event: 'payment_received',
    payload: '{"payment_id":1}',
    profile: 'standard',
    url: 'https://a.example/hook',
    createdAt: 5000 + n,
    ...over,
  });

  const attempt = (
    deliveryId: string,
    number: number,
    over: Partial<StoredAttempt> = {},
  ): StoredAttempt => ({
    deliveryId,
    number,
    startedAt: '2024-01-01T00:00:00.000Z',
    durationMs: 12,
    request: {
      method: 'POST',
      url: 'https://a.example/hook',
      headers: [['content-type', 'application/json']],
      body: '{}',
    },
    status: 200,
    responseHeaders: [['x-a', '1']],
    responseBody: 'ok',
    responseTruncated: false,
    outcome: 'success',
    nextAttemptAt: undefined,
    reason: undefined,
    ...over,
  });

  describe('webhooks', () => {
    it('creates with increasing ids and reads back every field', async () => {
      const store = await fresh();
      const a = await store.webhooks.create(
        webhook({ name: 'A', hidden: true, dateLastFailed: 7 }),
      );
      const b = await store.webhooks.create(webhook({ name: 'B', profile: 'standard' }));
      expect(b.id).toBeGreaterThan(a.id);
      expect(a).toEqual({ ...webhook({ name: 'A', hidden: true, dateLastFailed: 7 }), id: a.id });
      expect(await store.webhooks.get(b.id)).toEqual(b);
      expect(await store.webhooks.get(9999)).toBeUndefined();
    });

    it('updates only the given fields; undefined clears date_last_failed only', async () => {
      const store = await fresh();
      const a = await store.webhooks.create(webhook({ dateLastFailed: 5 }));
      const updated = await store.webhooks.update(a.id, {
        name: 'Renamed',
        active: false,
        dateModified: 2000,
      });
      expect(updated).toEqual({ ...a, name: 'Renamed', active: false, dateModified: 2000 });
      const cleared = await store.webhooks.update(a.id, {
        dateLastFailed: undefined,
        name: undefined,
      });
      expect(cleared).toMatchObject({ name: 'Renamed', dateLastFailed: undefined });
      expect(await store.webhooks.update(9999, { name: 'x' })).toBeUndefined();
    });

    it('deletes once (true, then false), never reusing the id', async () => {
      const store = await fresh();
      const a = await store.webhooks.create(webhook());
      expect(await store.webhooks.delete(a.id)).toBe(true);
      expect(await store.webhooks.delete(a.id)).toBe(false);
      const b = await store.webhooks.create(webhook());
      expect(b.id).not.toBe(a.id);
    });

    it('lists with filters, search (wildcards literal), order, limit/offset and the total', async () => {
      const store = await fresh();
      await store.webhooks.create(webhook({ name: 'Alpha', event: 'e1', integration: 'zapier' }));
      await store.webhooks.create(webhook({ name: 'Beta_x', event: 'e1', active: false }));
      await store.webhooks.create(
        webhook({ name: 'Gamma 50%', event: 'e2', webhookUrl: 'https://b.example/z' }),
      );
      const all = await store.webhooks.list({ orderby: 'id', order: 'desc', limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.items.map((w) => w.name)).toEqual(['Gamma 50%', 'Beta_x', 'Alpha']);
      const page = await store.webhooks.list({
        orderby: 'name',
        order: 'asc',
        limit: 1,
        offset: 1,
      });
      expect(page).toMatchObject({ total: 3 });
      expect(page.items.map((w) => w.name)).toEqual(['Beta_x']);
      const names = async (q: Partial<Parameters<Store['webhooks']['list']>[0]>) =>
        (
          await store.webhooks.list({ orderby: 'id', order: 'asc', limit: 10, offset: 0, ...q })
        ).items.map((w) => w.name);
      expect(await names({ event: 'e1' })).toEqual(['Alpha', 'Beta_x']);
      expect(await names({ active: false })).toEqual(['Beta_x']);
      expect(await names({ integration: 'zapier' })).toEqual(['Alpha']);
      expect(await names({ search: '50%' })).toEqual(['Gamma 50%']);
      expect(await names({ search: '_' })).toEqual(['Beta_x']);
      expect(await names({ search: 'B.EXAMPLE' })).toEqual(['Gamma 50%']);
    });

    it('forEvent returns only active webhooks of the event; incrementCount counts and touches date_modified', async () => {
      const store = await fresh();
      const on = await store.webhooks.create(webhook({ event: 'e' }));
      await store.webhooks.create(webhook({ event: 'e', active: false }));
      await store.webhooks.create(webhook({ event: 'other' }));
      expect((await store.webhooks.forEvent('e')).map((w) => w.id)).toEqual([on.id]);
      await Promise.all([
        store.webhooks.incrementCount(on.id, 3000),
        store.webhooks.incrementCount(on.id, 3001),
      ]);
      expect(await store.webhooks.get(on.id)).toMatchObject({ eventCount: 2, dateModified: 3001 });
    });

    it('forEvent follows every change of the webhooks it returns, read right after', async () => {
      const store = await fresh();
      const a = await store.webhooks.create(webhook({ event: 'e' }));
      const targets = async () =>
        (await store.webhooks.forEvent('e')).map((w) => [w.id, w.webhookUrl, w.profile]);
      expect(await targets()).toEqual([[a.id, 'https://a.example/hook', 'plugin']]);
      const b = await store.webhooks.create(
        webhook({ event: 'e', webhookUrl: 'https://b.example/' }),
      );
      expect((await targets()).map(([id]) => id)).toEqual([a.id, b.id]);
      await store.webhooks.update(a.id, { webhookUrl: 'https://c.example/', profile: 'standard' });
      expect(await targets()).toEqual([
        [a.id, 'https://c.example/', 'standard'],
        [b.id, 'https://b.example/', 'plugin'],
      ]);
      await store.webhooks.update(b.id, { active: false });
      expect((await targets()).map(([id]) => id)).toEqual([a.id]);
      await store.webhooks.update(b.id, { active: true, event: 'other' });
      expect((await targets()).map(([id]) => id)).toEqual([a.id]);
      expect((await store.webhooks.forEvent('other')).map((w) => w.id)).toEqual([b.id]);
      await store.webhooks.delete(a.id);
      expect(await targets()).toEqual([]);
    });
  });

  describe('deliveries (outbox)', () => {
    it('enqueues pending deliveries due at once, and claims them oldest first with a lease', async () => {
      const store = await fresh();
      const [a, b, c] = [delivery(), delivery(), delivery()];
      await store.deliveries.enqueue([a!, b!, c!]);
      const claimed = await store.deliveries.claim('w1', { now: 10_000, leaseMs: 1000, limit: 2 });
      expect(claimed.map((d) => d.id)).toEqual([a!.id, b!.id]);
      expect(claimed[0]).toMatchObject({
        status: 'delivering',
        leaseOwner: 'w1',
        leaseUntil: 11_000,
        attemptCount: 0,
        payload: a!.payload,
        url: a!.url,
        profile: 'standard',
      });
      // Claimed ones are not claimed again while the lease holds.
      expect(
        (await store.deliveries.claim('w2', { now: 10_500, leaseMs: 1000, limit: 10 })).map(
          (d) => d.id,
        ),
      ).toEqual([c!.id]);
      expect(await store.deliveries.claim('w2', { now: 10_600, leaseMs: 1000, limit: 10 })).toEqual(
        [],
      );
    });

    it('does not claim deliveries that are not due, and nextDue says when to look again', async () => {
      const store = await fresh();
      expect(await store.deliveries.nextDue()).toBeUndefined();
      const d = delivery({ createdAt: 50_000 });
      await store.deliveries.enqueue([d]);
      expect(await store.deliveries.claim('w', { now: 40_000, leaseMs: 1000, limit: 10 })).toEqual(
        [],
      );
      expect(await store.deliveries.nextDue()).toBe(50_000);
    });

    it('takes over expired leases of other owners, not its own; renew extends them', async () => {
      const store = await fresh();
      const d = delivery();
      await store.deliveries.enqueue([d]);
      await store.deliveries.claim('dead', { now: 10_000, leaseMs: 1000, limit: 1 });
      expect(
        await store.deliveries.claim('alive', { now: 10_500, leaseMs: 1000, limit: 1 }),
      ).toEqual([]);
      await store.deliveries.renew('dead', 10_900, 1000); // now until 11_900
      expect(
        await store.deliveries.claim('alive', { now: 11_500, leaseMs: 1000, limit: 1 }),
      ).toEqual([]);
      expect(
        await store.deliveries.claim('dead', { now: 12_000, leaseMs: 1000, limit: 1 }),
      ).toEqual([]);
      const taken = await store.deliveries.claim('alive', { now: 12_000, leaseMs: 1000, limit: 1 });
      expect(taken.map((x) => [x.id, x.leaseOwner])).toEqual([[d.id, 'alive']]);
      // The old owner lost it: its attempt is not recorded.
      expect(
        await store.deliveries.recordAttempt('dead', attempt(d.id, 1), {
          status: 'succeeded',
          nextAttemptAt: undefined,
        }),
      ).toBe(false);
      expect((await store.deliveries.get(d.id))?.attempts).toEqual([]);
    });

    it('skips excluded origins when claiming', async () => {
      const store = await fresh();
      const slow = delivery({ url: 'http://slow.example:8080/a' });
      const fast = delivery({ url: 'https://fast.example/b' });
      await store.deliveries.enqueue([slow, fast]);
      const claimed = await store.deliveries.claim('w', {
        now: 100_000,
        leaseMs: 1000,
        limit: 10,
        excludeOrigins: ['http://slow.example:8080'],
      });
      expect(claimed.map((d) => d.id)).toEqual([fast.id]);
    });

    it('claims past the backlog of full targets, oldest due first across the others', async () => {
      const store = await fresh();
      const at = (url: string, i: number, createdAt: number) => ({
        id: `msg_backlog_${url.length}_${i}`,
        webhookId: 1,
        event: 'payment_received',
        payload: '{}',
        profile: 'standard' as const,
        url,
        createdAt,
      });
      // A busy target with a long backlog queued first, then work for two others, interleaved.
      const busy = Array.from({ length: 500 }, (_, i) => at('http://busy.example/h', i, 1000));
      const a = [3, 1, 5].map((t, i) => at('http://a.example/h', i, 2000 + t));
      const b = [2, 4].map((t, i) => at('http://bb.example/h', i, 2000 + t));
      await store.deliveries.enqueue([...busy, ...a, ...b]);
      const claimed = await store.deliveries.claim('w', {
        now: 10_000,
        leaseMs: 1000,
        limit: 4,
        excludeOrigins: ['http://busy.example'],
      });
      expect(claimed.map((d) => d.createdAt)).toEqual([2001, 2002, 2003, 2004]);
      expect(claimed.every((d) => d.status === 'delivering' && d.leaseOwner === 'w')).toBe(true);
      expect(
        await store.deliveries.claim('w', {
          now: 10_000,
          leaseMs: 1000,
          limit: 10,
          excludeOrigins: ['http://busy.example', 'http://a.example', 'http://bb.example'],
        }),
      ).toEqual([]);
      // Without exclusions the backlog comes first again, oldest first.
      const next = await store.deliveries.claim('w', { now: 10_000, leaseMs: 1000, limit: 3 });
      expect(next.map((d) => d.url)).toEqual(Array(3).fill('http://busy.example/h'));
    });

    it('records attempts under the lease and moves the delivery on (retry → pending, then succeeded)', async () => {
      const store = await fresh();
      const d = delivery();
      await store.deliveries.enqueue([d]);
      await store.deliveries.claim('w', { now: 10_000, leaseMs: 1000, limit: 1 });
      const first = attempt(d.id, 1, {
        status: 503,
        outcome: 'retry',
        nextAttemptAt: 20_000,
        reason: 'HTTP 503',
      });
      expect(
        await store.deliveries.recordAttempt('w', first, {
          status: 'pending',
          nextAttemptAt: 20_000,
        }),
      ).toBe(true);
      expect(await store.deliveries.get(d.id)).toMatchObject({
        status: 'pending',
        attemptCount: 1,
        nextAttemptAt: 20_000,
        leaseOwner: undefined,
        leaseUntil: undefined,
      });
      expect(await store.deliveries.nextDue()).toBe(20_000);
      // Not recorded twice, and not without a lease.
      expect(
        await store.deliveries.recordAttempt('w', first, {
          status: 'pending',
          nextAttemptAt: 20_000,
        }),
      ).toBe(false);
      await store.deliveries.claim('w', { now: 20_000, leaseMs: 1000, limit: 1 });
      const second = attempt(d.id, 2);
      expect(
        await store.deliveries.recordAttempt('w', second, {
          status: 'succeeded',
          nextAttemptAt: undefined,
        }),
      ).toBe(true);
      const stored = await store.deliveries.get(d.id);
      expect(stored).toMatchObject({
        status: 'succeeded',
        attemptCount: 2,
        nextAttemptAt: undefined,
      });
      expect(stored?.attempts).toEqual([first, second]);
      expect(await store.deliveries.claim('w', { now: 99_000, leaseMs: 1000, limit: 10 })).toEqual(
        [],
      );
    });

    it('records many attempts at once, each decided on its own lease', async () => {
      const store = await fresh();
      // More than one statement's worth (SQLite writes them 64 rows at a time), all in one
      // group commit: some by an owner that never held the lease, one delivery twice.
      const ds = Array.from({ length: 150 }, () => delivery());
      await store.deliveries.enqueue(ds);
      await store.deliveries.claim('w', { now: 100_000, leaseMs: 1000, limit: 150 });
      const twice = 12;
      const owners = ds.map((_, i) => (i % 7 === 3 ? 'other' : 'w'));
      const attempts = ds.map((d, i) =>
        attempt(
          d.id,
          1,
          i % 5 === 0 ? { request: { ...attempt(d.id, 1).request, body: `b${i}` } } : {},
        ),
      );
      const calls: Array<Promise<boolean>> = [];
      for (const [i, d] of ds.entries()) {
        calls.push(
          store.deliveries.recordAttempt(owners[i]!, attempts[i]!, {
            status: i % 2 === 0 ? 'succeeded' : 'pending',
            nextAttemptAt: i % 2 === 0 ? undefined : 200_000 + i,
          }),
        );
        // Recorded again right after, in the same statement's worth of rows on SQLite.
        if (i === twice) {
          calls.push(
            store.deliveries.recordAttempt('w', attempt(d.id, 1, { status: 500 }), {
              status: 'failed',
              nextAttemptAt: undefined,
            }),
          );
        }
      }
      const recorded = await Promise.all(calls);
      const [again] = recorded.splice(twice + 1, 1);
      // The second record of ds[twice] found it moved on already (the order between the two is
      // the driver's: exactly one of them is on record).
      expect(again).toBe(!recorded[twice]);
      expect(recorded).toEqual(owners.map((owner, i) => (i === twice ? !again : owner === 'w')));
      for (const [i, d] of ds.entries()) {
        const stored = await store.deliveries.get(d.id);
        if (owners[i] !== 'w') {
          expect(stored).toMatchObject({ status: 'delivering', leaseOwner: 'w', attemptCount: 0 });
          expect(stored?.attempts).toEqual([]);
        } else if (i === twice && !recorded[twice]) {
          expect(stored).toMatchObject({ status: 'failed', attemptCount: 1 });
          expect(stored?.attempts.map((a) => a.status)).toEqual([500]);
        } else {
          expect(stored).toMatchObject({
            status: i % 2 === 0 ? 'succeeded' : 'pending',
            nextAttemptAt: i % 2 === 0 ? undefined : 200_000 + i,
            attemptCount: 1,
            leaseOwner: undefined,
          });
          expect(stored?.attempts).toEqual([attempts[i]]);
        }
      }
    });

    it('claimOne leases one delivery by id in any state, not while another lease holds', async () => {
      const store = await fresh();
      const [done, waiting] = [delivery(), delivery({ createdAt: 90_000 })];
      await store.deliveries.enqueue([done, waiting]);
      expect(await store.deliveries.claimOne('r', 'msg_missing', { now: 1, leaseMs: 1 })).toBe(
        undefined,
      );
      // A finished delivery: leased, and its former state reported.
      await store.deliveries.claim('w', { now: 10_000, leaseMs: 1000, limit: 1 });
      await store.deliveries.recordAttempt('w', attempt(done.id, 1), {
        status: 'succeeded',
        nextAttemptAt: undefined,
      });
      const taken = await store.deliveries.claimOne('r1', done.id, { now: 20_000, leaseMs: 5000 });
      expect(taken).toMatchObject({
        delivery: {
          id: done.id,
          status: 'delivering',
          leaseOwner: 'r1',
          leaseUntil: 25_000,
          attemptCount: 1,
          payload: done.payload,
        },
        before: { status: 'succeeded', nextAttemptAt: undefined },
      });
      // Held: neither another claimOne nor the dispatcher's claim takes it.
      expect(await store.deliveries.claimOne('r2', done.id, { now: 21_000, leaseMs: 5000 })).toBe(
        'busy',
      );
      expect(await store.deliveries.claim('w', { now: 21_000, leaseMs: 1000, limit: 10 })).toEqual(
        [],
      );
      // The holder records the next attempt.
      expect(
        await store.deliveries.recordAttempt('r1', attempt(done.id, 2), {
          status: 'failed',
          nextAttemptAt: undefined,
        }),
      ).toBe(true);
      expect(await store.deliveries.get(done.id)).toMatchObject({
        status: 'failed',
        attemptCount: 2,
        leaseOwner: undefined,
      });
      // A pending one that is not due yet: taken now, its schedule reported.
      const early = await store.deliveries.claimOne('r3', waiting.id, { now: 30_000, leaseMs: 10 });
      expect(early).toMatchObject({ before: { status: 'pending', nextAttemptAt: 90_000 } });
      // Once the lease ran out it can be taken again.
      expect(
        await store.deliveries.claimOne('r4', waiting.id, { now: 30_011, leaseMs: 10 }),
      ).toMatchObject({ delivery: { leaseOwner: 'r4' }, before: { status: 'delivering' } });
    });

    it('release gives claimed deliveries back as pending, only for their owner', async () => {
      const store = await fresh();
      const [a, b] = [delivery(), delivery()];
      await store.deliveries.enqueue([a!, b!]);
      await store.deliveries.claim('w', { now: 10_000, leaseMs: 60_000, limit: 2 });
      await store.deliveries.release('other', [a!.id]);
      expect((await store.deliveries.get(a!.id))?.status).toBe('delivering');
      await store.deliveries.release('w', [a!.id]);
      expect(await store.deliveries.get(a!.id)).toMatchObject({
        status: 'pending',
        leaseOwner: undefined,
      });
      expect(
        (await store.deliveries.claim('w2', { now: 10_001, leaseMs: 1000, limit: 5 })).map(
          (d) => d.id,
        ),
      ).toEqual([a!.id]);
    });

    it('lists newest first with filters, attempts and a cursor', async () => {
      const store = await fresh();
      const ds = [
        delivery({ webhookId: 1, event: 'e1' }),
        delivery({ webhookId: 2, event: 'e1' }),
        delivery({ webhookId: 1, event: 'e2' }),
      ];
      await store.deliveries.enqueue(ds);
      await store.deliveries.claim('w', { now: 10_000, leaseMs: 1000, limit: 1 });
      await store.deliveries.recordAttempt('w', attempt(ds[0]!.id, 1), {
        status: 'succeeded',
        nextAttemptAt: undefined,
      });
      const first = await store.deliveries.list({ limit: 2 });
      expect(first.items.map((d) => d.id)).toEqual([ds[2]!.id, ds[1]!.id]);
      expect(first.nextBefore).toBeDefined();
      const rest = await store.deliveries.list({ limit: 2, before: first.nextBefore! });
      expect(rest.items.map((d) => d.id)).toEqual([ds[0]!.id]);
      expect(rest.items[0]!.attempts).toHaveLength(1);
      expect(rest.nextBefore).toBeUndefined();
      const ids = async (q: Parameters<Store['deliveries']['list']>[0]) =>
        (await store.deliveries.list(q)).items.map((d) => d.id);
      expect(await ids({ limit: 10, webhookId: 1 })).toEqual([ds[2]!.id, ds[0]!.id]);
      expect(await ids({ limit: 10, event: 'e1' })).toEqual([ds[1]!.id, ds[0]!.id]);
      expect(await ids({ limit: 10, status: 'succeeded' })).toEqual([ds[0]!.id]);
      expect(await ids({ limit: 10, status: 'pending' })).toEqual([ds[2]!.id, ds[1]!.id]);
      expect(await store.deliveries.get('msg_missing')).toBeUndefined();
    });

    it('keeps every enqueued delivery when many enqueue at once', async () => {
      const store = await fresh();
      const batches = Array.from({ length: 20 }, () =>
        Array.from({ length: 25 }, () => delivery()),
      );
      await Promise.all(batches.map((b) => store.deliveries.enqueue(b)));
      const claimed = await store.deliveries.claim('w', {
        now: Number.MAX_SAFE_INTEGER,
        leaseMs: 1000,
        limit: 1000,
      });
      expect(new Set(claimed.map((d) => d.id))).toEqual(new Set(batches.flat().map((d) => d.id)));
    });
  });
}
