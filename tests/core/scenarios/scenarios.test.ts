import {
  getEvent,
  identify,
  listScenarios,
  parsePayload,
  runScenario,
  ScenarioError,
} from '@umhooks/core';
import { describe, expect, it } from 'vitest';

const SEEDS = [0, 1, 42, 2026, 4_294_967_295];

/** The flat (normalized) view of a step's payload. */
function normalized(event: string, payload: Record<string, unknown>): Record<string, unknown> {
  const parsed = parsePayload(event, payload);
  expect(parsed.ok, `${event}: ${parsed.issues.map((i) => i.message).join('; ')}`).toBe(true);
  return parsed.data!;
}

describe('every payload of every scenario', () => {
  for (const scenario of listScenarios()) {
    for (const seed of SEEDS) {
      it(`${scenario.name} (seed ${seed}) passes its event's schema and is identified as it`, () => {
        const run = runScenario(scenario.name, { seed });
        expect(run.steps.map((s) => s.event)).toEqual(scenario.events);
        for (const step of run.steps) {
          expect(getEvent(step.event)?.delivery).toBe('webhook');
          const parsed = parsePayload(step.event, step.payload);
          expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
          const candidates = identify(step.payload);
          const best = candidates[0]!;
          const top = candidates.filter((c) => c.score === best.score).map((c) => c.event);
          expect(top, `${step.event} among the best candidates`).toContain(step.event);
        }
      });
    }
  }
});

describe('one world per run', () => {
  it('names the same customer, membership and currency in every event of a run', () => {
    for (const scenario of listScenarios()) {
      const run = runScenario(scenario.name, { seed: 7 });
      const flats = run.steps.map((s) => normalized(s.event, s.payload));
      for (const key of [
        'customer_id',
        'customer_user_id',
        'customer_user_email',
        'membership_id',
        'membership_reference_code',
        'membership_currency',
        'membership_amount_raw',
        'site_id',
      ]) {
        const values = new Set(
          flats.map((f) => f[key]).filter((v) => v !== undefined && v !== null),
        );
        expect(
          values.size,
          `${scenario.name}: ${key} ${[...values].join(', ')}`,
        ).toBeLessThanOrEqual(1);
      }
    }
  });

  it('keeps a payment the same from created to received, with amounts that add up', () => {
    const run = runScenario('signup', { seed: 99 });
    const flats = run.steps.map((s): Record<string, unknown> & { event: string } => ({
      ...normalized(s.event, s.payload),
      event: s.event,
    }));
    const payments = flats.filter((f) => f.payment_id !== undefined);
    expect(new Set(payments.map((p) => p.payment_id)).size).toBe(1);
    expect(new Set(payments.map((p) => p.payment_reference_code)).size).toBe(1);
    for (const p of payments) {
      expect(p.payment_total_raw).toBeCloseTo(
        (p.payment_subtotal_raw as number) + (p.payment_tax_total_raw as number),
        2,
      );
      expect(p.payment_currency).toBe(flats[3]!.membership_currency);
      expect(p.payment_subtotal_raw).toBe(flats[3]!.membership_initial_amount_raw);
    }
    expect(payments.map((p) => [p.event, p.payment_status])).toEqual([
      ['payment_created', 'pending'],
      ['payment_updated', 'completed'],
      ['payment_updated', 'completed'],
      ['payment_received', 'completed'],
    ]);
    const memberships = flats.filter((f) => f.event.startsWith('membership_'));
    expect(memberships.map((m) => m.membership_status)).toEqual(['pending', 'active']);
    const published = flats.at(-1)!;
    expect(published.event).toBe('site_published');
    expect(published.membership_status).toBe('active');
  });

  it('advances the clock: events in order, renewals a month later with a new payment', () => {
    const start = '2026-03-10T09:30:00Z';
    const signup = runScenario('signup', { seed: 5, start });
    const renewal = runScenario('renewal', { seed: 5, start });
    const ats = [...signup.steps, ...renewal.steps].map((s) => s.at);
    expect([...ats].sort()).toEqual(ats);
    expect(signup.steps[0]!.at).toBe('2026-03-10 09:30:00');
    expect(renewal.steps[0]!.at).toBe('2026-04-10 10:30:00');
    const signupPayment = normalized('payment_received', signup.steps[7]!.payload);
    const renewalPayment = normalized('payment_received', renewal.steps[4]!.payload);
    expect(renewalPayment.payment_id).not.toBe(signupPayment.payment_id);
    expect(renewalPayment.customer_id).toBe(signupPayment.customer_id);
    expect(renewalPayment.membership_date_expiration).toBe('2026-05-10T23:59:59Z');
    const failed = runScenario('failed-renewal', { seed: 5, start });
    const expired = normalized('membership_expired', failed.steps[4]!.payload);
    expect(expired.membership_status).toBe('expired');
    expect(expired.membership_gateway).toBe('');
    expect(failed.steps[4]!.at).toBe('2026-04-14 00:00:00');
    const manual = runScenario('manual-renewal', { seed: 5, start });
    const due = normalized('renewal_payment_created', manual.steps[3]!.payload);
    // Three days before the expiration (2026-04-10 23:59:59), at the next hourly check.
    expect(manual.steps[3]!.at).toBe('2026-04-08 00:00:00');
    expect(due.payment_status).toBe('pending');
    expect(due.membership_status).toBe('on-hold');
    expect(due.payment_subtotal_raw).toBe(due.membership_amount_raw);
    expect(due.default_payment_url).toContain(`?payment=${String(due.payment_reference_code)}`);
    expect(due.payment_id).not.toBe(signupPayment.payment_id);
  });
});

describe('seeded runs', () => {
  it('repeat byte for byte, and differ across seeds', () => {
    for (const scenario of listScenarios()) {
      const a = JSON.stringify(runScenario(scenario.name, { seed: 31337 }));
      const b = JSON.stringify(runScenario(scenario.name, { seed: 31337 }));
      expect(a).toBe(b);
      expect(JSON.stringify(runScenario(scenario.name, { seed: 31338 }))).not.toBe(a);
    }
  });

  it('refuses seeds out of range and unknown scenarios', () => {
    expect(() => runScenario('signup', { seed: -1 })).toThrow(ScenarioError);
    expect(() => runScenario('signup', { seed: 1.5 })).toThrow(/whole number/);
    expect(() => runScenario('sign-up', { seed: 1 })).toThrow(
      /no scenario "sign-up"; there are: signup/,
    );
    expect(() => runScenario('signup', { seed: 1, start: 'yesterday' })).toThrow(/not a date/);
  });
});

describe('overrides in a scenario', () => {
  it('apply to every event carrying the field, typed by the schema', () => {
    const run = runScenario('signup', {
      seed: 3,
      overrides: { set: { customer_name: 'Ada Lovelace', payment_total_raw: '49.9' } },
    });
    for (const step of run.steps) expect(step.payload.customer_name).toBe('Ada Lovelace');
    const payments = run.steps.filter((s) => 'payment_total_raw' in s.payload);
    expect(payments).toHaveLength(4);
    for (const p of payments) expect(p.payload.payment_total_raw).toBe(49.9);
  });

  it('reach into the nested live shape with dot paths', () => {
    const run = runScenario('demo-expiry', {
      seed: 3,
      overrides: { set: { 'site.title': 'My demo', 'membership.amount': '12' } },
    });
    const payload = run.steps[0]!.payload as {
      site: { title: string };
      membership: { amount: unknown };
    };
    expect(payload.site.title).toBe('My demo');
    expect(payload.membership.amount).toBe('12');
    expect(normalized('demo_site_expiring', run.steps[0]!.payload).site_title).toBe('My demo');
  });

  it('refuse a field no event carries, and values the schema refuses unless forced', () => {
    expect(() =>
      runScenario('renewal', { seed: 1, overrides: { set: { domain_domain: 'x.com' } } }),
    ).toThrow(/no event of this scenario carries "domain_domain"/);
    let refused: ScenarioError | undefined;
    try {
      runScenario('renewal', { seed: 1, overrides: { set: { payment_id: 'abc' } } });
    } catch (error) {
      refused = error as ScenarioError;
    }
    expect(refused?.issues.map((i) => [i.step, i.event, i.path])).toEqual([
      [0, 'payment_updated', 'payment_id'],
      [1, 'payment_created', 'payment_id'],
      [3, 'payment_updated', 'payment_id'],
      [4, 'payment_received', 'payment_id'],
    ]);
    const forced = runScenario('renewal', {
      seed: 1,
      overrides: { set: { payment_id: 'abc' } },
      force: true,
    });
    expect(forced.steps[1]!.payload.payment_id).toBe('abc');
  });
});
