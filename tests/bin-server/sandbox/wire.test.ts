import { buildRequest, verify } from '@umhooks/core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryJson, WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import type { RequestJson } from '../../../bin-server/src/wire/request.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';

// Fire → the dispatcher → a REAL capture bin of the same server → what the bin stored is
// compared byte for byte with what core says the plugin sends (plugin profile), or verified as a
// Standard Webhooks signature with the webhook's secret (standard profile).

describe('fired deliveries on the wire (into a capture bin)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function bin(id: string): Promise<string> {
    const res = await sandbox.api('POST', '/bins', { id });
    expect(res.status).toBe(201);
    return (res.json as { url: string }).url;
  }

  async function webhook(body: Record<string, unknown>): Promise<WebhookJson> {
    const res = await sandbox.api('POST', '/sandbox/webhooks', body);
    expect(res.status).toBe(201);
    return res.json as WebhookJson;
  }

  async function captured(binId: string, count: number): Promise<RequestJson[]> {
    return eventually(
      async () => {
        const res = await sandbox.api('GET', `/bins/${binId}/requests`);
        const items = (res.json as { items: RequestJson[] }).items;
        return items.length >= count ? items : undefined;
      },
      20_000,
      `${count} requests in bin ${binId}`,
    );
  }

  async function settled(id: string): Promise<DeliveryJson> {
    return eventually(
      async () => {
        const d = (await sandbox.api('GET', `/sandbox/deliveries/${id}`)).json as DeliveryJson;
        return d.status === 'pending' || d.status === 'delivering' ? undefined : d;
      },
      20_000,
      `delivery ${id} to settle`,
    );
  }

  it('plugin profile: the bin receives exactly the bytes and header lines the plugin sends', async () => {
    const url = await bin('wire-plugin-bin');
    const hook = await webhook({
      name: 'Plugin wire',
      webhook_url: url,
      event: 'payment_received',
    });
    expect(hook.profile).toBe('plugin');

    const fired = await sandbox.api('POST', '/sandbox/fire', { event: 'payment_received' });
    expect(fired.status).toBe(202);
    const [deliveryId] = (fired.json as { deliveries: string[] }).deliveries;
    const delivery = await settled(deliveryId!);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 1, profile: 'plugin' });
    expect(delivery.attempts[0]).toMatchObject({ outcome: 'recorded', status: 200, number: 1 });

    const [request] = await captured('wire-plugin-bin', 1);
    const expected = buildRequest(url, JSON.parse(delivery.payload), {
      profile: 'plugin',
      siteUrl: sandbox.url,
      eventId: 'payment_received',
    });
    expect(request!.method).toBe('POST');
    expect(
      Buffer.from(request!.body_base64, 'base64').equals(Buffer.from(expected.body, 'utf8')),
    ).toBe(true);
    expect(request!.headers).toEqual(expected.headers);
    // What the plugin's wire format promises: flat JSON with wu_version, WordPress UA, no signature.
    const body = JSON.parse(expected.body) as Record<string, unknown>;
    expect(body).toHaveProperty('wu_version');
    expect(body).toHaveProperty('payment_total');
    expect(expected.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1]).toMatch(
      new RegExp(`^WordPress/\\S+; ${sandbox.url.replace(/[.]/g, '\\.')}$`),
    );
    expect(request!.headers.some(([k]) => k.toLowerCase().startsWith('webhook-'))).toBe(false);
    // The attempt log holds the request exactly as sent.
    expect(delivery.attempts[0]!.request.body).toBe(expected.body);
    expect(delivery.attempts[0]!.request.headers).toEqual(expected.headers);
    // The bin recognised the payload.
    expect(request!.recognition?.checked_event).toBe('payment_received');

    // The plugin counts the send (the count is written within 100 ms).
    await eventually(async () => {
      const after = (await sandbox.api('GET', `/sandbox/webhooks/${hook.id}`)).json as WebhookJson;
      return after.event_count === 1 ? true : undefined;
    });
  });

  it('standard profile: signed with the webhook secret, webhook-id = delivery id, verifiable by core and by standardwebhooks', async () => {
    const url = await bin('wire-standard-bin');
    const hook = await webhook({
      name: 'Standard wire',
      webhook_url: url,
      event: 'site_published',
      profile: 'standard',
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const payload = {
      site_id: 7,
      site_title: 'Ünïcode / "quoted"',
      site_description: '',
      site_url: 'https://acme.example/',
      site_admin_url: 'https://acme.example/wp-admin/',
      site_manage_url:
        'https://network.example/wp-admin/network/admin.php?page=wp-ultimo-edit-site&id=7',
    };
    const fired = await sandbox.api('POST', '/sandbox/fire', {
      event: 'site_published',
      payload,
      force: true,
    });
    expect(fired.status).toBe(202);
    const [deliveryId] = (fired.json as { deliveries: string[] }).deliveries;
    const delivery = await settled(deliveryId!);
    expect(delivery).toMatchObject({ status: 'succeeded', profile: 'standard' });
    expect(delivery.attempts[0]).toMatchObject({ outcome: 'success', status: 200 });
    expect(JSON.parse(delivery.payload)).toEqual(payload);

    const [request] = await captured('wire-standard-bin', 1);
    const body = Buffer.from(request!.body_base64, 'base64');
    const headers = Object.fromEntries(request!.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['webhook-id']).toBe(deliveryId);
    expect(verify({ secret: hook.secret, headers, body })).toEqual({
      id: deliveryId,
      timestamp: Number(headers['webhook-timestamp']),
    });
    // An implementation no one here wrote agrees.
    new StandardWebhook(hook.secret).verify(body.toString('utf8'), headers);
    expect(() =>
      verify({ secret: hook.secret, headers, body: Buffer.concat([body, Buffer.from(' ')]) }),
    ).toThrow();
    expect(body.toString('utf8')).toBe(delivery.attempts[0]!.request.body);

    // Given the webhook's secret, the bin itself says the delivery it caught is authentic.
    expect(request!.signature).toBeNull();
    const set = await sandbox.api('PATCH', '/bins/wire-standard-bin', {
      signing_secret: hook.secret,
    });
    expect(set.status).toBe(200);
    const checked = await sandbox.api('GET', `/bins/wire-standard-bin/requests/${request!.id}`);
    expect((checked.json as RequestJson).signature).toEqual({
      valid: true,
      reason: null,
      message: `Signed with this bin's secret (message ${deliveryId}).`,
    });
  });

  it('fires only to active webhooks of the event, and nothing after the webhook is deleted', async () => {
    const url = await bin('wire-active-bin');
    const active = await webhook({ name: 'On', webhook_url: url, event: 'customer_created' });
    const inactive = await webhook({
      name: 'Off',
      webhook_url: url,
      event: 'customer_created',
      active: false,
    });
    await webhook({ name: 'Other event', webhook_url: url, event: 'customer_updated' });
    const fired = await sandbox.api('POST', '/sandbox/fire', { event: 'customer_created' });
    const ids = (fired.json as { deliveries: string[] }).deliveries;
    expect(ids).toHaveLength(1);
    const delivery = await settled(ids[0]!);
    expect(delivery.webhook_id).toBe(active.id);
    expect(inactive.active).toBe(false);

    expect((await sandbox.api('DELETE', `/sandbox/webhooks/${active.id}`)).status).toBe(204);
    const again = await sandbox.api('POST', '/sandbox/fire', { event: 'customer_created' });
    expect((again.json as { deliveries: string[] }).deliveries).toEqual([]);
    const requests = (await sandbox.api('GET', '/bins/wire-active-bin/requests')).json as {
      items: unknown[];
    };
    expect(requests.items).toHaveLength(1);
  });

  it('a webhook made through the plugin REST API (Zapier-style subscribe) receives fired events', async () => {
    const url = await bin('wire-zapier-bin');
    const created = await sandbox.rest('POST', '/webhook', {
      body: {
        name: 'Zapier: Site Published',
        webhook_url: url,
        event: 'site_published',
        integration: 'zapier',
        active: true,
      },
    });
    expect(created.status).toBe(200);
    const fired = await sandbox.api('POST', '/sandbox/fire', { event: 'site_published' });
    const ids = (fired.json as { deliveries: string[] }).deliveries;
    expect(ids.length).toBeGreaterThanOrEqual(1);
    await captured('wire-zapier-bin', 1);
    await eventually(async () => {
      const record = await sandbox.rest('GET', `/webhook/${(created.json as { id: number }).id}`);
      return (record.json as { event_count: string }).event_count === '1' ? true : undefined;
    });
  });
});
