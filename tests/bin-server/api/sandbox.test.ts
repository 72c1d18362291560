import { getEvent } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  deliveryJson,
  testResultJson,
  webhookJson,
  type DeliveryJson,
  type WebhookJson,
} from '../../../bin-server/src/wire/sandbox.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';

describe('/api/sandbox', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startReceiver((request) =>
      request.url.startsWith('/empty')
        ? { body: '' }
        : request.url.startsWith('/teapot')
          ? { status: 418, body: 'short and stout' }
          : { body: `got ${request.body.length} bytes` },
    );
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await sandbox.api('POST', '/sandbox/webhooks', body);
    expect(res.status, res.text).toBe(201);
    return webhookJson.parse(res.json) as WebhookJson;
  };

  describe('webhooks', () => {
    it('creates with defaults (manual, active, plugin profile) and a whsec_ secret', async () => {
      const hook = await create({
        name: 'Defaults',
        webhook_url: `${receiver.url}/defaults`,
        event: 'payment_received',
      });
      expect(hook).toMatchObject({
        name: 'Defaults',
        integration: 'manual',
        active: true,
        hidden: false,
        profile: 'plugin',
        event_count: 0,
        date_last_failed: null,
      });
      expect(hook.secret).toMatch(/^whsec_/);
      expect((await sandbox.api('GET', `/sandbox/webhooks/${hook.id}`)).json).toEqual(hook);
      const list = (await sandbox.api('GET', '/sandbox/webhooks')).json as { items: WebhookJson[] };
      expect(list.items.map((w) => w.id)).toContain(hook.id);
    });

    it('refuses invalid fields with 400 {error, message, field}', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', webhook_url: 'https://a.example', event: 'e' }, 'name'],
        [{ name: 'ok name', webhook_url: 'ftp://a.example', event: 'e' }, 'webhook_url'],
        [
          { name: 'ok name', webhook_url: `https://a.example/${'a'.repeat(180)}`, event: 'e' },
          'webhook_url',
        ],
        [{ name: 'ok name', webhook_url: 'https://a.example', event: 'e'.repeat(41) }, 'event'],
        [
          { name: 'ok name', webhook_url: 'https://a.example', event: 'e', profile: 'svix' },
          'profile',
        ],
        [{ name: 'ok name', webhook_url: 'https://a.example', event: 'e', colour: 1 }, 'colour'],
        [{ webhook_url: 'https://a.example', event: 'e' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await sandbox.api('POST', '/sandbox/webhooks', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json).toMatchObject({ error: 'invalid_request', field });
        expect((res.json as { message: string }).message.length).toBeGreaterThan(10);
      }
    });

    it('patches fields, switches profile, rotates the secret, and deletes (204, then 404)', async () => {
      const hook = await create({
        name: 'Patch me',
        webhook_url: `${receiver.url}/p`,
        event: 'site_published',
      });
      const patched = await sandbox.api('PATCH', `/sandbox/webhooks/${hook.id}`, {
        name: 'Patched',
        active: false,
        profile: 'standard',
      });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({
        name: 'Patched',
        active: false,
        profile: 'standard',
        secret: hook.secret,
      });
      const rotated = (
        await sandbox.api('PATCH', `/sandbox/webhooks/${hook.id}`, { rotate_secret: true })
      ).json as WebhookJson;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(hook.secret);
      const bad = await sandbox.api('PATCH', `/sandbox/webhooks/${hook.id}`, {
        webhook_url: 'nope',
      });
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ field: 'webhook_url' });

      expect((await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`)).status).toBe(204);
      for (const [method, path] of [
        ['DELETE', `/sandbox/webhooks/${hook.id}`],
        ['GET', `/sandbox/webhooks/${hook.id}`],
        ['PATCH', `/sandbox/webhooks/${hook.id}`],
        ['POST', `/sandbox/webhooks/${hook.id}/test`],
      ] as const) {
        const res = await sandbox.api(
          method,
          path,
          method === 'PATCH' ? { name: 'zz' } : undefined,
        );
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.json).toMatchObject({ error: 'webhook_not_found' });
      }
      expect((await sandbox.api('GET', '/sandbox/webhooks/abc')).status).toBe(400);
    });
  });

  describe('Send Test Event', () => {
    it("posts the event's plugin sample and returns the remote body, uncounted and unlogged", async () => {
      const hook = await create({
        name: 'Tester',
        webhook_url: `${receiver.url}/test`,
        event: 'payment_received',
      });
      const before = receiver.received.length;
      const res = await sandbox.api('POST', `/sandbox/webhooks/${hook.id}/test`);
      expect(res.status).toBe(200);
      const result = testResultJson.parse(res.json);
      const sent = receiver.received[before]!;
      expect(result).toMatchObject({
        id: hook.id,
        status: 200,
        error: null,
        response: `got ${sent.body.length} bytes`,
      });
      const body = JSON.parse(sent.body.toString('utf8')) as Record<string, unknown>;
      const sample = getEvent('payment_received')!.pluginSample;
      expect(Object.keys(body)).toEqual(Object.keys(sample));
      expect(body.customer_name).toBe(sample.customer_name);
      // Not counted and not in the delivery log.
      expect(
        ((await sandbox.api('GET', `/sandbox/webhooks/${hook.id}`)).json as WebhookJson)
          .event_count,
      ).toBe(0);
      const log = (await sandbox.api('GET', `/sandbox/deliveries?webhook=${hook.id}`)).json as {
        items: unknown[];
      };
      expect(log.items).toEqual([]);
    });

    it('reports an empty body, a non-2xx status and a transport error the way the dialog needs them', async () => {
      const empty = await create({
        name: 'Empty',
        webhook_url: `${receiver.url}/empty`,
        event: 'site_published',
      });
      expect((await sandbox.api('POST', `/sandbox/webhooks/${empty.id}/test`)).json).toMatchObject({
        response: '',
        status: 200,
        error: null,
      });
      const teapot = await create({
        name: 'Teapot',
        webhook_url: `${receiver.url}/teapot`,
        event: 'site_published',
      });
      expect((await sandbox.api('POST', `/sandbox/webhooks/${teapot.id}/test`)).json).toMatchObject(
        {
          response: 'short and stout',
          status: 418,
        },
      );
      const dead = await create({
        name: 'Dead',
        webhook_url: 'http://127.0.0.1:1/hook',
        event: 'site_published',
      });
      const refused = testResultJson.parse(
        (await sandbox.api('POST', `/sandbox/webhooks/${dead.id}/test`)).json,
      );
      expect(refused.status).toBeNull();
      expect(refused.error?.kind).toBe('refused');
      // Like the plugin, the dialog text is the error message.
      expect(refused.response).toBe(refused.error?.message);
    });
  });

  describe('fire and the delivery log', () => {
    it('fires to every active webhook, 202 with the delivery ids; the log pages newest first with attempts', async () => {
      const hooks = [] as WebhookJson[];
      for (let i = 0; i < 3; i++) {
        hooks.push(
          await create({
            name: `Fire ${i}`,
            webhook_url: `${receiver.url}/fire${i}`,
            event: 'membership_expired',
          }),
        );
      }
      const fired = await sandbox.api('POST', '/sandbox/fire', { event: 'membership_expired' });
      expect(fired.status).toBe(202);
      const { event, deliveries } = fired.json as { event: string; deliveries: string[] };
      expect(event).toBe('membership_expired');
      expect(deliveries).toHaveLength(3);
      expect(new Set(deliveries).size).toBe(3);

      const done = await eventually(async () => {
        const page = (
          await sandbox.api('GET', '/sandbox/deliveries?event=membership_expired&status=succeeded')
        ).json as {
          items: DeliveryJson[];
        };
        return page.items.length === 3 ? page.items : undefined;
      });
      for (const d of done) deliveryJson.parse(d);
      expect(done.map((d) => d.id).sort()).toEqual([...deliveries].sort());
      expect(
        done.every((d) => d.attempts.length === 1 && d.attempts[0]!.outcome === 'recorded'),
      ).toBe(true);

      const first = (
        await sandbox.api('GET', '/sandbox/deliveries?event=membership_expired&limit=2')
      ).json as {
        items: DeliveryJson[];
        next_cursor: string | null;
      };
      expect(first.items).toHaveLength(2);
      expect(first.next_cursor).not.toBeNull();
      const second = (
        await sandbox.api(
          'GET',
          `/sandbox/deliveries?event=membership_expired&limit=2&cursor=${first.next_cursor}`,
        )
      ).json as { items: DeliveryJson[]; next_cursor: string | null };
      expect(second.items).toHaveLength(1);
      expect(second.next_cursor).toBeNull();
      // Newest first: the ids in firing order, reversed.
      expect([...first.items, ...second.items].map((d) => d.id)).toEqual([...deliveries].reverse());
      const one = (await sandbox.api('GET', `/sandbox/deliveries/${deliveries[0]}`))
        .json as DeliveryJson;
      expect(one.webhook_id).toBe(hooks[0]!.id);
      const byWebhook = (await sandbox.api('GET', `/sandbox/deliveries?webhook=${hooks[1]!.id}`))
        .json as {
        items: DeliveryJson[];
      };
      expect(byWebhook.items.map((d) => d.id)).toEqual([deliveries[1]]);
      expect((await sandbox.api('GET', '/sandbox/deliveries/msg_nope')).status).toBe(404);
      expect((await sandbox.api('GET', '/sandbox/deliveries?status=lost')).status).toBe(400);
      expect((await sandbox.api('GET', '/sandbox/deliveries?limit=0')).status).toBe(400);
    });

    it('refuses a payload that fails the schema with 422 and its issues, unless forced', async () => {
      await create({
        name: 'Strict',
        webhook_url: `${receiver.url}/strict`,
        event: 'payment_failed',
      });
      const bad = await sandbox.api('POST', '/sandbox/fire', {
        event: 'payment_failed',
        payload: { membership_id: 'not a number' },
      });
      expect(bad.status).toBe(422);
      const body = bad.json as {
        error: string;
        message: string;
        issues: Array<{ path: string; message: string }>;
      };
      expect(body.error).toBe('invalid_payload');
      expect(body.issues.length).toBeGreaterThan(0);
      expect(body.issues.some((i) => i.path === 'membership_id')).toBe(true);
      const forced = await sandbox.api('POST', '/sandbox/fire', {
        event: 'payment_failed',
        payload: { membership_id: 'not a number' },
        force: true,
      });
      expect(forced.status).toBe(202);
      const [id] = (forced.json as { deliveries: string[] }).deliveries;
      const delivery = (await sandbox.api('GET', `/sandbox/deliveries/${id}`)).json as DeliveryJson;
      expect(JSON.parse(delivery.payload)).toEqual({ membership_id: 'not a number' });
    });

    it('accepts unknown (add-on) events with any object payload, and refuses bad input shapes', async () => {
      const hook = await create({
        name: 'Add-on',
        webhook_url: `${receiver.url}/addon`,
        event: 'domain_seller_sold',
      });
      const fired = await sandbox.api('POST', '/sandbox/fire', {
        event: 'domain_seller_sold',
        payload: { domain: 'example.org', price: 12 },
      });
      expect(fired.status).toBe(202);
      expect((fired.json as { deliveries: string[] }).deliveries).toHaveLength(1);
      expect(hook.event).toBe('domain_seller_sold');
      // Without a payload there is nothing to send: a typo must not fire `{}` silently.
      const before = (await sandbox.api('GET', `/sandbox/deliveries?webhook=${hook.id}`)).json as {
        items: unknown[];
      };
      const bare = await sandbox.api('POST', '/sandbox/fire', { event: 'domain_seller_sold' });
      expect(bare.status).toBe(422);
      expect(bare.json).toMatchObject({ error: 'unknown_event' });
      expect((bare.json as { message: string }).message).toMatch(
        /"domain_seller_sold" is not in the event catalog.*GET \/api\/events/,
      );
      const after = (await sandbox.api('GET', `/sandbox/deliveries?webhook=${hook.id}`)).json as {
        items: unknown[];
      };
      expect(after.items).toHaveLength(before.items.length);
      for (const body of [
        {},
        { event: '' },
        { event: 'x'.repeat(41) },
        { event: 'a b' },
        { event: 'e', payload: [1] },
      ]) {
        const res = await sandbox.api('POST', '/sandbox/fire', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
    });
  });

  describe('live pushes on /ws?sandbox=1', () => {
    it('pushes webhook.updated, delivery (pending → delivering → succeeded) and webhook.deleted', async () => {
      const ws = new WebSocket(`${sandbox.url.replace('http', 'ws')}/ws?sandbox=1`);
      const messages: Array<{ type: string; [k: string]: unknown }> = [];
      ws.on('message', (data: Buffer) =>
        messages.push(JSON.parse(data.toString('utf8')) as { type: string }),
      );
      await eventually(() => (messages.some((m) => m.type === 'hello') ? true : undefined));

      const hook = await create({
        name: 'Live',
        webhook_url: `${receiver.url}/live`,
        event: 'domain_created',
      });
      const fired = await sandbox.api('POST', '/sandbox/fire', { event: 'domain_created' });
      const [id] = (fired.json as { deliveries: string[] }).deliveries;
      await eventually(() =>
        messages.some(
          (m) =>
            m.type === 'delivery' &&
            (m.delivery as DeliveryJson).id === id &&
            (m.delivery as DeliveryJson).status === 'succeeded',
        )
          ? true
          : undefined,
      );
      await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`);
      await eventually(() =>
        messages.some((m) => m.type === 'webhook.deleted' && m.id === hook.id) ? true : undefined,
      );
      ws.close();

      expect(
        messages.some(
          (m) => m.type === 'webhook.updated' && (m.webhook as WebhookJson).id === hook.id,
        ),
      ).toBe(true);
      const states = messages
        .filter((m) => m.type === 'delivery' && (m.delivery as DeliveryJson).id === id)
        .map((m) => deliveryJson.parse(m.delivery).status);
      expect(states).toEqual(['pending', 'delivering', 'succeeded']);
      const final = messages.filter((m) => m.type === 'delivery').at(-1)!.delivery as DeliveryJson;
      expect(final.attempts).toHaveLength(1);
    });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await sandbox.api('GET', '/openapi.json')).json as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, methods] of Object.entries({
      '/api/sandbox/webhooks': ['get', 'post'],
      '/api/sandbox/webhooks/{id}': ['get', 'patch', 'delete'],
      '/api/sandbox/webhooks/{id}/test': ['post'],
      '/api/sandbox/fire': ['post'],
      '/api/sandbox/deliveries': ['get'],
      '/api/sandbox/deliveries/{id}': ['get'],
    })) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual([...methods].sort());
    }
  });
});
