import { listScenarios, runScenario } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryJson, type DeliveryJson } from '../../../bin-server/src/wire/sandbox.js';
import {
  scenarioJson,
  scenarioRunJson,
  type ScenarioRunJson,
} from '../../../bin-server/src/wire/scenarios.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';

/** A body as received, without the `wu_version` the plugin profile writes. */
function bodyOf(raw: Buffer): Record<string, unknown> {
  const { wu_version: _version, ...rest } = JSON.parse(raw.toString('utf8')) as Record<
    string,
    unknown
  >;
  return rest;
}

function withoutVersion(payload: Record<string, unknown>): Record<string, unknown> {
  const { wu_version: _version, ...rest } = payload;
  return rest;
}

describe('/api/sandbox/scenarios', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startReceiver(() => ({ body: '{"ok":true}' }));
    for (const event of ['customer_created', 'payment_received', 'site_published']) {
      const res = await sandbox.api('POST', '/sandbox/webhooks', {
        name: `Scenario ${event}`,
        webhook_url: `${receiver.url}/${event}`,
        event,
      });
      expect(res.status, res.text).toBe(201);
    }
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('lists every scenario with its events, what is open and where it comes from', async () => {
    const res = await sandbox.api<{ items: unknown[] }>('GET', '/sandbox/scenarios');
    expect(res.status).toBe(200);
    const items = res.json.items.map((item) => scenarioJson.parse(item));
    expect(items.map((s) => s.name)).toEqual(listScenarios().map((s) => s.name));
    expect(items.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'signup',
        'renewal',
        'failed-renewal',
        'custom-domain',
        'demo-expiry',
        'invoice',
      ]),
    );
    const one = await sandbox.api('GET', '/sandbox/scenarios/failed-renewal');
    expect(scenarioJson.parse(one.json).events).toEqual([
      'payment_failed',
      'payment_failed',
      'membership_updated',
      'membership_updated',
      'membership_expired',
    ]);
    const missing = await sandbox.api<{ error: string; message: string }>(
      'GET',
      '/sandbox/scenarios/nope',
    );
    expect(missing.status).toBe(404);
    expect(missing.json.message).toContain('There are: signup, renewal');
  });

  it('fires signup through the outbox: each subscribed webhook gets its event', async () => {
    const before = receiver.received.length;
    const res = await sandbox.api<ScenarioRunJson>('POST', '/sandbox/scenarios/signup/run', {
      seed: 1234,
    });
    expect(res.status, res.text).toBe(202);
    const run = scenarioRunJson.parse(res.json);
    expect(run.seed).toBe(1234);
    expect(run.events.map((e) => e.event)).toEqual(listScenarios()[0]!.events);
    const core = runScenario('signup', { seed: 1234 });
    expect(run.events.map((e) => e.payload)).toEqual(core.steps.map((s) => s.payload));
    const subscribed = run.events.filter((e) =>
      ['customer_created', 'payment_received', 'site_published'].includes(e.event),
    );
    for (const e of run.events) expect(e.deliveries).toHaveLength(subscribed.includes(e) ? 1 : 0);
    await receiver.waitFor(before + 3);
    const got = receiver.received.slice(before);
    expect(got.map((r) => r.url).sort()).toEqual(
      ['/customer_created', '/payment_received', '/site_published'].sort(),
    );
    for (const e of subscribed) {
      const request = got.find((r) => r.url === `/${e.event}`)!;
      expect(bodyOf(request.body)).toEqual(withoutVersion(e.payload));
    }
    // The delivery log has them, as for any fire.
    for (const e of subscribed) {
      const delivery = await eventually(async () => {
        const answer = await sandbox.api<DeliveryJson>(
          'GET',
          `/sandbox/deliveries/${e.deliveries[0]}`,
        );
        const parsed = deliveryJson.parse(answer.json);
        return parsed.status === 'pending' ? undefined : parsed;
      });
      expect(delivery.event).toBe(e.event);
      expect(delivery.status).toBe('succeeded');
    }
  });

  it('repeats a seeded run byte for byte, with a start and overrides', async () => {
    const body = {
      seed: 77,
      start: '2026-04-01T12:00:00Z',
      set: { customer_name: 'Ada Lovelace', payment_total_raw: '49.9' },
      unset: ['billing_zip_code'],
    };
    const a = await sandbox.api<ScenarioRunJson>('POST', '/sandbox/scenarios/renewal/run', body);
    const b = await sandbox.api<ScenarioRunJson>('POST', '/sandbox/scenarios/renewal/run', body);
    expect(a.status, a.text).toBe(202);
    const payloads = (run: ScenarioRunJson) =>
      JSON.stringify(run.events.map((e) => [e.at, e.payload]));
    expect(payloads(b.json)).toBe(payloads(a.json));
    expect(a.json.events[0]!.at).toBe('2026-05-01 13:00:00');
    for (const e of a.json.events) {
      expect(e.payload.customer_name).toBe('Ada Lovelace');
      expect(e.payload).not.toHaveProperty('billing_zip_code');
      if ('payment_total_raw' in e.payload) expect(e.payload.payment_total_raw).toBe(49.9);
    }
    const random = await sandbox.api<ScenarioRunJson>('POST', '/sandbox/scenarios/renewal/run', {});
    expect(random.status).toBe(202);
    expect(Number.isInteger(random.json.seed)).toBe(true);
  });

  it('refuses overrides the schema refuses (422 with issues) unless forced, and bad options', async () => {
    const refused = await sandbox.api<{ error: string; issues: { event: string; step: number }[] }>(
      'POST',
      '/sandbox/scenarios/invoice/run',
      { seed: 1, set: { payment_total_raw: 'lots' } },
    );
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('invalid_overrides');
    expect(refused.json.issues.map((i) => [i.step, i.event])).toEqual([
      [0, 'payment_created'],
      [1, 'invoice_sent'],
      [2, 'payment_updated'],
      [3, 'payment_updated'],
      [4, 'payment_received'],
    ]);
    const forced = await sandbox.api<ScenarioRunJson>('POST', '/sandbox/scenarios/invoice/run', {
      seed: 1,
      set: { payment_total_raw: 'lots' },
      force: true,
    });
    expect(forced.status).toBe(202);
    expect(forced.json.events[0]!.payload.payment_total_raw).toBe('lots');
    const nowhere = await sandbox.api<{ error: string; message: string }>(
      'POST',
      '/sandbox/scenarios/custom-domain/run',
      { set: { payment_id: '3' } },
    );
    expect(nowhere.status).toBe(422);
    expect(nowhere.json.message).toContain('no event of this scenario carries "payment_id"');
    const badSeed = await sandbox.api<{ field: string }>('POST', '/sandbox/scenarios/signup/run', {
      seed: -1,
    });
    expect(badSeed.status).toBe(400);
    expect(badSeed.json.field).toBe('seed');
    const unknownKey = await sandbox.api('POST', '/sandbox/scenarios/signup/run', { sed: 1 });
    expect(unknownKey.status).toBe(400);
  });
});

describe('/api/sandbox/fire with overrides', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startReceiver(() => ({ body: 'ok' }));
    await sandbox.api('POST', '/sandbox/webhooks', {
      name: 'Overrides',
      webhook_url: `${receiver.url}/fire`,
      event: 'payment_created',
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('sets typed values and unsets keys in the sample or a given payload', async () => {
    const res = await sandbox.api('POST', '/sandbox/fire', {
      event: 'payment_created',
      set: { payment_total_raw: '49.9', payment_id: 8, payment_status: 'failed' },
      unset: ['billing_zip_code'],
    });
    expect(res.status, res.text).toBe(202);
    await receiver.waitFor(1);
    const body = JSON.parse(receiver.received[0]!.body.toString('utf8')) as Record<string, unknown>;
    expect(body.payment_total_raw).toBe(49.9);
    expect(body.payment_id).toBe(8);
    expect(body.payment_status).toBe('failed');
    expect(body).not.toHaveProperty('billing_zip_code');
  });

  it('refuses a value the schema refuses with its issue, unless force', async () => {
    const refused = await sandbox.api<{
      error: string;
      issues: { path: string; message: string }[];
    }>('POST', '/sandbox/fire', { event: 'payment_created', set: { payment_id: 'abc' } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('invalid_payload');
    expect(refused.json.issues[0]).toMatchObject({
      path: 'payment_id',
      message: 'payment_id should be a whole number, got "abc"',
    });
    const forced = await sandbox.api('POST', '/sandbox/fire', {
      event: 'payment_created',
      set: { payment_id: 'abc' },
      force: true,
    });
    expect(forced.status).toBe(202);
    const path = await sandbox.api<{ issues: { message: string }[] }>('POST', '/sandbox/fire', {
      event: 'payment_created',
      set: { 'site.title': 'x' },
    });
    expect(path.status).toBe(422);
    expect(path.json.issues[0]!.message).toBe(
      'cannot set site.title: the payload has nothing at "site".',
    );
  });
});
