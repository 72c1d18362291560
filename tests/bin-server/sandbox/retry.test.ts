import type { RetryPolicy } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryJson, WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { pairs, startReceiver, type Receiver, type Reply } from '../../support/receiver.js';

// Retries, Retry-After, give-up and 410 against real local receivers. A small retry schedule is
// injected so nothing waits minutes; the assertions compare recorded times with each other, never
// with how long the machine took.

const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 20,
  maxDelayMs: 3000,
  schedule: [20, 40, 80],
  random: () => 0.5,
};

describe('dispatcher retries (standard profile) and the plugin profile', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  /** Answers per path, consumed in order; the last one repeats. */
  const script = new Map<string, Reply[]>();

  beforeAll(async () => {
    sandbox = await startSandbox({}, { dispatcher: { retryPolicy: policy } });
    receiver = await startReceiver((request) => {
      const replies = script.get(request.url) ?? [{}];
      return replies.length > 1 ? replies.shift()! : replies[0]!;
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  let counter = 0;
  async function fireTo(replies: Reply[], profile: 'plugin' | 'standard' = 'standard') {
    counter += 1;
    const path = `/r${counter}`;
    script.set(path, replies);
    const event = `retry_event_${counter}`;
    const hook = (
      await sandbox.api('POST', '/sandbox/webhooks', {
        name: `Retry ${counter}`,
        webhook_url: `${receiver.url}${path}`,
        event,
        profile,
      })
    ).json as WebhookJson;
    const fired = await sandbox.api('POST', '/sandbox/fire', { event, payload: { n: counter } });
    expect(fired.status).toBe(202);
    const id = (fired.json as { deliveries: string[] }).deliveries[0]!;
    return { hook, id, path };
  }

  const settled = (id: string) =>
    eventually(
      async () => {
        const d = (await sandbox.api('GET', `/sandbox/deliveries/${id}`)).json as DeliveryJson;
        return d.status === 'pending' || d.status === 'delivering' ? undefined : d;
      },
      25_000,
      `delivery ${id}`,
    );

  const webhookNow = async (id: number) =>
    (await sandbox.api('GET', `/sandbox/webhooks/${id}`)).json as WebhookJson;

  const sentTo = (path: string) => receiver.received.filter((r) => r.url === path);

  it('retries 5xx with backoff until a 2xx, keeping the webhook-id on every attempt', async () => {
    const { id, path, hook } = await fireTo([{ status: 503 }, { status: 502 }, { status: 200 }]);
    const delivery = await settled(id);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.status, a.outcome])).toEqual([
      [503, 'retry'],
      [502, 'retry'],
      [200, 'success'],
    ]);
    const requests = sentTo(path);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(pairs(r.rawHeaders).find(([k]) => k.toLowerCase() === 'webhook-id')?.[1]).toBe(id);
    }
    // Each retry was scheduled with the policy's delay and not sent before it was due.
    const [first, second, third] = delivery.attempts;
    expect(
      Date.parse(first!.next_attempt_at!) - Date.parse(first!.started_at),
    ).toBeGreaterThanOrEqual(20);
    expect(Date.parse(second!.started_at)).toBeGreaterThanOrEqual(
      Date.parse(first!.next_attempt_at!),
    );
    expect(
      Date.parse(second!.next_attempt_at!) - Date.parse(second!.started_at),
    ).toBeGreaterThanOrEqual(40);
    expect(Date.parse(third!.started_at)).toBeGreaterThanOrEqual(
      Date.parse(second!.next_attempt_at!),
    );
    expect(third!.next_attempt_at).toBeNull();
    expect(first!.reason).toMatch(/503/);
    // Counted once, when it succeeded (counts are written every 100 ms).
    await eventually(async () =>
      (await webhookNow(hook.id)).event_count === 1 ? true : undefined,
    );
  });

  it('honours Retry-After on 429', async () => {
    const { id } = await fireTo([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 204 },
    ]);
    const delivery = await settled(id);
    expect(delivery.status).toBe('succeeded');
    const [first, second] = delivery.attempts;
    expect(first!.outcome).toBe('retry');
    expect(
      Date.parse(first!.next_attempt_at!) - Date.parse(first!.started_at),
    ).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(second!.started_at)).toBeGreaterThanOrEqual(
      Date.parse(first!.next_attempt_at!),
    );
  });

  it('gives up after maxAttempts and records date_last_failed', async () => {
    const { id, path, hook } = await fireTo([{ status: 500 }]);
    const delivery = await settled(id);
    expect(delivery.status).toBe('gave-up');
    expect(delivery.attempt_count).toBe(4);
    expect(delivery.attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'give-up']);
    expect(sentTo(path)).toHaveLength(4);
    const after = await webhookNow(hook.id);
    expect(after.date_last_failed).not.toBeNull();
    expect(after.event_count).toBe(0);
    expect(after.active).toBe(true);
  });

  it('does not retry other 4xx', async () => {
    const { id, path } = await fireTo([{ status: 400 }, { status: 200 }]);
    const delivery = await settled(id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.outcome)).toEqual(['give-up']);
    expect(sentTo(path)).toHaveLength(1);
  });

  it('retries a refused connection, then gives up', async () => {
    counter += 1;
    const event = `refused_${counter}`;
    await sandbox.api('POST', '/sandbox/webhooks', {
      name: 'Refused',
      webhook_url: 'http://127.0.0.1:1/nobody',
      event,
      profile: 'standard',
    });
    const fired = await sandbox.api('POST', '/sandbox/fire', { event, payload: {} });
    const delivery = await settled((fired.json as { deliveries: string[] }).deliveries[0]!);
    expect(delivery.status).toBe('gave-up');
    expect(delivery.attempts).toHaveLength(4);
    expect(delivery.attempts.every((a) => a.status === null && a.error?.kind === 'refused')).toBe(
      true,
    );
  });

  it('410 Gone deactivates the webhook, says why in the attempt log, and later fires skip it', async () => {
    const { id, hook, path } = await fireTo([{ status: 410 }]);
    const delivery = await settled(id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ status: 410, outcome: 'disable' });
    expect(delivery.attempts[0]!.reason).toMatch(/410/);
    expect(delivery.attempts[0]!.reason).toMatch(/deactivated/);
    const after = await webhookNow(hook.id);
    expect(after.active).toBe(false);
    expect(after.date_last_failed).not.toBeNull();
    // The plugin REST API shows it inactive too.
    expect((await sandbox.rest('GET', `/webhook/${hook.id}`)).json).toMatchObject({
      active: false,
    });
    const again = await sandbox.api('POST', '/sandbox/fire', { event: hook.event, payload: {} });
    expect((again.json as { deliveries: string[] }).deliveries).toEqual([]);
    expect(sentTo(path)).toHaveLength(1);
  });

  it('plugin profile: one attempt, a 500 counts as sent (status recorded, ignored)', async () => {
    const { id, path, hook } = await fireTo(
      [{ status: 500, body: 'boom' }, { status: 200 }],
      'plugin',
    );
    const delivery = await settled(id);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({
      status: 500,
      outcome: 'recorded',
      response_body: 'boom',
    });
    expect(sentTo(path)).toHaveLength(1);
    const after = await eventually(async () => {
      const w = await webhookNow(hook.id);
      return w.event_count === 1 ? w : undefined;
    });
    expect(after.date_last_failed).toBeNull();
  });

  it('plugin profile: a transport error fails once, uncounted, never retried', async () => {
    counter += 1;
    const event = `plugin_refused_${counter}`;
    const hook = (
      await sandbox.api('POST', '/sandbox/webhooks', {
        name: 'Plugin refused',
        webhook_url: 'http://127.0.0.1:1/nobody',
        event,
      })
    ).json as WebhookJson;
    const fired = await sandbox.api('POST', '/sandbox/fire', { event, payload: {} });
    const delivery = await settled((fired.json as { deliveries: string[] }).deliveries[0]!);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ outcome: 'recorded', status: null });
    expect(delivery.attempts[0]!.error?.kind).toBe('refused');
    expect((await webhookNow(hook.id)).event_count).toBe(0);
  });

  it('stops retrying a webhook deleted in the meantime, and says so', async () => {
    // Retry-After keeps the retry pending long enough to delete the webhook first.
    const { id, hook, path } = await fireTo([
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 200 },
    ]);
    await eventually(async () => {
      const d = (await sandbox.api('GET', `/sandbox/deliveries/${id}`)).json as DeliveryJson;
      return d.attempt_count === 1 ? d : undefined;
    });
    expect((await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`)).status).toBe(204);
    const delivery = await settled(id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts[1]!.outcome).toBe('give-up');
    expect(delivery.attempts[1]!.reason).toMatch(/deleted/);
    expect(sentTo(path)).toHaveLength(1);
  });
});
