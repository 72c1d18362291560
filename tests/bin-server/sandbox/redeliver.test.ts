// Redeliver: any past delivery sent again (API, CLI), with the same payload and webhook-id to
// the webhook's current URL and profile; the attempt is recorded on the delivery and pushed live.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryJson, WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { headerOf, startReceiver, type Receiver } from '../../support/receiver.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { cliPath } from '../../support/server.js';
import { liveViewer } from '../../support/viewer.js';

const run = promisify(execFile);

let sandbox: Sandbox;
let receiver: Receiver;
/** Status the receiver answers per path (200 otherwise). */
const answers = new Map<string, number>();

beforeAll(async () => {
  // Retries an hour apart: a failed standard delivery stays pending while the test looks at it.
  sandbox = await startSandbox(
    {},
    {
      dispatcher: {
        retryPolicy: {
          maxAttempts: 8,
          baseDelayMs: 3_600_000,
          maxDelayMs: 3_600_000,
          schedule: [3_600_000],
        },
      },
    },
  );
  receiver = await startReceiver((request) => ({
    status: answers.get(request.url) ?? 200,
    body: `got ${request.url}`,
  }));
});
afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

async function createWebhook(
  path: string,
  profile: 'plugin' | 'standard',
  event = 'payment_received',
): Promise<WebhookJson> {
  const res = await sandbox.api<WebhookJson>('POST', '/sandbox/webhooks', {
    name: `redeliver ${path}`,
    webhook_url: `${receiver.url}${path}`,
    event,
    profile,
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Fires `event` and waits until the webhook's delivery has `attempts` attempts. */
async function fireAndWait(webhook: WebhookJson, attempts = 1): Promise<DeliveryJson> {
  const fired = await sandbox.api('POST', '/sandbox/fire', { event: webhook.event });
  expect(fired.status, fired.text).toBe(202);
  return eventually(async () => {
    const page = await sandbox.api<{ items: DeliveryJson[] }>(
      'GET',
      `/sandbox/deliveries?webhook=${webhook.id}`,
    );
    const delivery = page.json.items[0];
    return delivery && delivery.attempts.length >= attempts && delivery.status !== 'delivering'
      ? delivery
      : undefined;
  });
}

const redeliver = (id: string) =>
  sandbox.api<DeliveryJson & { error?: string; message?: string }>(
    'POST',
    `/sandbox/deliveries/${id}/redeliver`,
  );

/** Waits until the wall clock is in a new second (Standard Webhooks timestamps are seconds). */
async function nextSecond(): Promise<void> {
  const ms = 1000 - (Date.now() % 1000) + 5;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('POST /api/sandbox/deliveries/:id/redeliver', () => {
  it('standard: the same webhook-id with a new timestamp and signature, verified with svix', async () => {
    const hook = await createWebhook('/standard', 'standard');
    const delivery = await fireAndWait(hook);
    expect(delivery.status).toBe('succeeded');
    const first = receiver.received.find((r) => r.url === '/standard')!;
    await nextSecond();

    const viewer = await liveViewer(sandbox.url, 'sandbox=1');
    try {
      const res = await redeliver(delivery.id);
      expect(res.status, res.text).toBe(200);
      expect(res.json.status).toBe('succeeded');
      expect(res.json.attempt_count).toBe(2);
      expect(res.json.attempts.map((a) => a.number)).toEqual([1, 2]);
      expect(res.json.attempts[1]).toMatchObject({ status: 200, outcome: 'success', error: null });

      // Pushed live: the delivery with its new attempt.
      const pushed = await viewer.next(
        (m) =>
          m.type === 'delivery' &&
          m.delivery.id === delivery.id &&
          m.delivery.attempts.length === 2,
      );
      expect(pushed.type === 'delivery' && pushed.delivery.status).toBe('succeeded');
    } finally {
      viewer.close();
    }

    const sent = receiver.received.filter((r) => r.url === '/standard');
    expect(sent).toHaveLength(2);
    const second = sent[1]!;
    expect(headerOf(second, 'webhook-id')).toBe(delivery.id);
    expect(headerOf(first, 'webhook-id')).toBe(delivery.id);
    expect(Number(headerOf(second, 'webhook-timestamp'))).toBeGreaterThan(
      Number(headerOf(first, 'webhook-timestamp')),
    );
    expect(headerOf(second, 'webhook-signature')).not.toBe(headerOf(first, 'webhook-signature'));
    expect(second.body).toEqual(first.body);
    // Svix verifies it (id, timestamp, signature over the exact body) with the webhook's secret.
    const headers = Object.fromEntries(second.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(new SvixWebhook(hook.secret).verify(second.body.toString('utf8'), headers)).toEqual(
      JSON.parse(delivery.payload),
    );
    // The stored attempt is what went out.
    const stored = (await sandbox.api<DeliveryJson>('GET', `/sandbox/deliveries/${delivery.id}`))
      .json;
    expect(stored.attempts).toHaveLength(2);
    expect(stored.attempts[1]!.request.body).toBe(second.body.toString('utf8'));
  });

  it("uses the webhook's current URL and profile (and secret)", async () => {
    const hook = await createWebhook('/before', 'plugin');
    const delivery = await fireAndWait(hook);
    expect(delivery.attempts[0]!.request.url).toBe(`${receiver.url}/before`);
    const patched = await sandbox.api<WebhookJson>('PATCH', `/sandbox/webhooks/${hook.id}`, {
      webhook_url: `${receiver.url}/after`,
      profile: 'standard',
      rotate_secret: true,
    });
    expect(patched.status, patched.text).toBe(200);
    const res = await redeliver(delivery.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.attempts[1]!.request.url).toBe(`${receiver.url}/after`);
    const got = receiver.received.find((r) => r.url === '/after')!;
    expect(headerOf(got, 'webhook-id')).toBe(delivery.id);
    const headers = Object.fromEntries(got.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(() =>
      new SvixWebhook(patched.json.secret).verify(got.body.toString('utf8'), headers),
    ).not.toThrow();
    expect(() => new SvixWebhook(hook.secret).verify(got.body.toString('utf8'), headers)).toThrow();
  });

  it('refuses a deleted webhook (410), an inactive one (409) and an unknown delivery (404)', async () => {
    const hook = await createWebhook('/gone', 'plugin');
    const delivery = await fireAndWait(hook);
    const before = receiver.received.length;

    await sandbox.api('PATCH', `/sandbox/webhooks/${hook.id}`, { active: false });
    const inactive = await redeliver(delivery.id);
    expect(inactive.status).toBe(409);
    expect(inactive.json).toMatchObject({ error: 'webhook_inactive' });
    expect(inactive.json.message).toMatch(/inactive.*Activate it/);

    expect((await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`)).status).toBe(204);
    const gone = await redeliver(delivery.id);
    expect(gone.status).toBe(410);
    expect(gone.json).toMatchObject({ error: 'webhook_deleted' });
    expect(gone.json.message).toContain(`webhook ${hook.id} was deleted`);

    const unknown = await redeliver('msg_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'delivery_not_found' });
    expect(receiver.received.length).toBe(before);
    // Nothing was recorded on the delivery.
    const stored = (await sandbox.api<DeliveryJson>('GET', `/sandbox/deliveries/${delivery.id}`))
      .json;
    expect(stored.attempts).toHaveLength(1);
  });

  it('sends a delivery waiting for its next retry now; a failure keeps its schedule', async () => {
    answers.set('/flaky', 503);
    const hook = await createWebhook('/flaky', 'standard');
    const delivery = await fireAndWait(hook);
    expect(delivery.status).toBe('pending');
    const scheduled = delivery.next_attempt_at;
    expect(scheduled).not.toBeNull();

    const failed = await redeliver(delivery.id);
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json).toMatchObject({ status: 'pending', next_attempt_at: scheduled });
    expect(failed.json.attempts[1]).toMatchObject({ status: 503, outcome: 'retry' });
    expect(failed.json.attempts[1]!.reason).toMatch(/scheduled retries go on/);

    answers.set('/flaky', 200);
    const fixed = await redeliver(delivery.id);
    expect(fixed.json).toMatchObject({
      status: 'succeeded',
      next_attempt_at: null,
      attempt_count: 3,
    });
  });

  it('ends a finished delivery that fails again as failed, never retried by itself', async () => {
    const hook = await createWebhook('/once', 'standard');
    const delivery = await fireAndWait(hook);
    expect(delivery.status).toBe('succeeded');
    answers.set('/once', 500);
    const res = await redeliver(delivery.id);
    expect(res.json).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(res.json.attempts[1]).toMatchObject({ status: 500, outcome: 'give-up' });
    expect(res.json.attempts[1]!.reason).toMatch(/one attempt, not retried/);
  });
});

describe('umhooks trigger --redeliver', () => {
  it('redelivers through the server and prints the answer', async () => {
    const hook = await createWebhook('/cli', 'plugin');
    const delivery = await fireAndWait(hook);
    const { stdout } = await run(process.execPath, [
      cliPath,
      'trigger',
      '--redeliver',
      delivery.id,
      '--server',
      sandbox.url,
    ]);
    expect(stdout).toContain(`Redelivered ${delivery.id} (attempt 2, webhook ${hook.id})`);
    expect(stdout).toContain(`→ POST ${receiver.url}/cli`);
    expect(stdout).toMatch(/← 200 in \d+ ms/);
    expect(stdout).toContain(`Delivery ${delivery.id} is now succeeded.`);
    expect(receiver.received.filter((r) => r.url === '/cli')).toHaveLength(2);
  });

  it('says why when it cannot (unknown delivery, conflicting flags)', async () => {
    const unknown = await run(process.execPath, [
      cliPath,
      'trigger',
      '--redeliver',
      'msg_nope',
      '--server',
      sandbox.url,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect((unknown as { code: number }).code).toBe(1);
    expect((unknown as { stderr: string }).stderr).toMatch(
      /not redelivered \(404 delivery_not_found\)/,
    );

    const mixed = await run(process.execPath, [
      cliPath,
      'trigger',
      'payment_received',
      '--redeliver',
      'msg_x',
      '--url',
      'http://127.0.0.1:9/',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect((mixed as { code: number }).code).toBe(2);
    expect((mixed as { stderr: string }).stderr).toMatch(
      /drop the event "payment_received", --url/,
    );
  });
});
