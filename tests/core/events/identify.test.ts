import { describe, expect, it } from 'vitest';
import { catalog, getEvent, identify, type Candidate } from '@umhooks/core';
import { BILLING_KEYS, fixture, fixtureEvents, withoutKeys } from './fixture.js';

/** The candidates sharing the best score. */
function best(candidates: Candidate[]): Candidate[] {
  const top = candidates[0]?.score;
  return candidates.filter((c) => c.score === top);
}

/** The event is the answer, or part of a tie flagged as such, never beaten by another event. */
function expectRecognized(body: unknown, id: string): Candidate[] {
  const candidates = identify(body);
  const top = best(candidates);
  expect(top.map((c) => c.event)).toContain(id);
  if (top.length > 1) for (const c of top) expect(c.tie).toBe(true);
  else expect(top[0]!.tie).toBe(false);
  return top;
}

describe('identify recognizes every event', () => {
  it.each(fixtureEvents.map((e) => [e.id, e.payload_example] as const))(
    'reference example of %s',
    (id, body) => {
      const top = expectRecognized(body, id);
      expect(top[0]!.score).toBe(1);
    },
  );

  it.each(catalog.map((e) => [e.id, e.pluginSample] as const))('pluginSample of %s', (id, body) => {
    expectRecognized(body, id);
  });

  const withBilling = fixtureEvents.filter((e) => BILLING_KEYS.some((k) => k in e.payload_example));

  it('has reference examples with billing keys to strip', () => {
    expect(withBilling.map((e) => e.id)).toEqual([
      'customer_created',
      'customer_updated',
      'membership_created',
      'membership_updated',
      'payment_created',
      'payment_updated',
    ]);
  });

  it.each(withBilling.map((e) => [e.id, e.payload_example] as const))(
    '%s without its billing keys (as live payloads drop empty ones)',
    (id, body) => {
      const top = expectRecognized(
        withoutKeys(body, (k) => BILLING_KEYS.includes(k)),
        id,
      );
      expect(top[0]!.score).toBe(1);
      for (const c of top) expect(c.missing).toEqual([]);
    },
  );

  it.each(withBilling.map((e) => [e.id, e.payload_example] as const))(
    '%s with only some billing keys',
    (id, body) => {
      const partial = withoutKeys(body, (k) => ['billing_state', 'company_name'].includes(k));
      const top = expectRecognized(partial, id);
      expect(top[0]!.score).toBe(1);
    },
  );
});

describe('identical key sets come back as ties', () => {
  it.each([
    ['payment_created', ['payment_created', 'payment_updated']],
    ['customer_created', ['customer_created', 'customer_updated']],
    ['membership_created', ['membership_created', 'membership_updated']],
    ['subsite_post_created', ['subsite_post_created', 'subsite_cpt_created']],
  ])('%s', (id, tied) => {
    const top = best(identify(fixture(id).payload_example));
    expect(top.map((c) => c.event)).toEqual(tied);
    expect(new Set(top.map((c) => c.score)).size).toBe(1);
  });

  it('payment_received ties with payment_created/updated when billing is absent', () => {
    const paymentCreated = withoutKeys(fixture('payment_created').payload_example, (k) =>
      BILLING_KEYS.includes(k),
    );
    for (const body of [fixture('payment_received').payload_example, paymentCreated]) {
      const top = best(identify(body));
      expect(top.map((c) => c.event).sort()).toEqual([
        'payment_created',
        'payment_received',
        'payment_updated',
      ]);
      expect(top.every((c) => c.tie && c.score === 1)).toBe(true);
    }
  });

  it('membership_expired ties with membership_created/updated when billing is absent', () => {
    const top = best(identify(fixture('membership_expired').payload_example));
    expect(top.map((c) => c.event).sort()).toEqual([
      'membership_created',
      'membership_expired',
      'membership_updated',
    ]);
  });

  it('a billing key breaks the tie in favour of the events that send billing', () => {
    const top = best(identify(fixture('payment_created').payload_example));
    expect(top.map((c) => c.event)).not.toContain('payment_received');
  });

  it('a unique key set is a confident answer', () => {
    const candidates = identify(fixture('payment_failed').payload_example);
    expect(candidates[0]).toEqual({
      event: 'payment_failed',
      score: 1,
      missing: [],
      extra: [],
      tie: false,
    });
    expect(candidates[1]!.score).toBeLessThan(1);
  });
});

describe('candidates describe the fit', () => {
  it('ranks best first and lists missing and extra keys', () => {
    const body = withoutKeys(
      { ...fixture('invoice_sent').payload_example, addon_note: 'x' },
      (k) => k === 'invoice_message',
    );
    const candidates = identify(body);
    const scores = candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(candidates[0]).toMatchObject({
      event: 'invoice_sent',
      missing: ['invoice_message'],
      extra: ['addon_note'],
      tie: false,
    });
    expect(candidates[0]!.score).toBeGreaterThan(0.9);
    expect(candidates[0]!.score).toBeLessThan(1);
    for (const c of candidates) {
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
  });

  it('ignores wu_version and does not count absent billing keys as missing', () => {
    const body = withoutKeys(
      fixture('customer_updated').payload_example,
      (k) => k === 'wu_version' || BILLING_KEYS.includes(k),
    );
    const top = best(identify(body));
    expect(top.map((c) => c.event)).toEqual(['customer_created', 'customer_updated']);
    expect(top[0]).toMatchObject({ score: 1, missing: [], extra: [] });
  });

  it('recognizes the nested live shape of demo_site_expiring', () => {
    const nested = {
      site: { id: 12, blog_id: 12, title: "Jane's Bakery" },
      membership: [],
      customer: { id: 42, user_id: 17 },
      demo_expires_at: '2026-04-05 18:00:00',
      demo_time_remaining: '3 hours',
      site_admin_url: 'https://demo.example.com/wp-admin/',
      site_url: 'https://demo.example.com/',
      wu_version: '2.5.0',
    };
    const candidates = identify(nested);
    expect(candidates[0]).toEqual({
      event: 'demo_site_expiring',
      score: 1,
      missing: [],
      extra: [],
      tie: false,
    });
  });

  it('returns nothing for bodies that are not objects or carry no known key', () => {
    for (const body of ['payment_received', 42, null, undefined, [], [{ payment_id: 1 }], true]) {
      expect(identify(body)).toEqual([]);
    }
    expect(identify({})).toEqual([]);
    expect(identify({ wu_version: '2.4.12' })).toEqual([]);
    expect(identify({ totally: 'unrelated', keys: 1 })).toEqual([]);
  });

  it('knows every catalog event', () => {
    const found = new Set(
      catalog.flatMap((e) => identify(getEvent(e.id)!.sample).map((c) => c.event)),
    );
    expect([...found].sort()).toEqual(catalog.map((e) => e.id).sort());
  });
});
