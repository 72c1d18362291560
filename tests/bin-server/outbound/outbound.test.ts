// `--outbound`: every request the server sends (sandbox deliveries, Send Test Event, replays
// through context.outbound.send) passes core's private-network guard when the mode is `public`;
// this server's own capture URLs are captured in process. All traffic stays on 127.0.0.1: a
// refused target is refused before connecting, which the tests check by failing (and counting)
// any connection attempt while it is sent.
import net, { type LookupFunction } from 'node:net';
import { generateSecret, verify } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboundMode, resolveConfig } from '../../../bin-server/src/config.js';
import type { Outbound } from '../../../bin-server/src/outbound/types.js';
import type {
  DeliveryJson,
  TestResultJson,
  WebhookJson,
} from '../../../bin-server/src/wire/sandbox.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { eventually, startSandbox, type Sandbox } from '../../support/sandbox.js';
import { spawnServer } from '../../support/server.js';

/** A resolver that answers from a table and records what it was asked. */
function testResolver(table: Record<string, string[]>) {
  const queries: string[] = [];
  type Callback = (error: Error | null, address?: unknown, family?: number) => void;
  const lookup = ((hostname: string, options: { all?: boolean }, callback: Callback) => {
    queries.push(hostname);
    const addresses = table[hostname];
    if (!addresses) {
      callback(Object.assign(new Error(`test resolver: no ${hostname}`), { code: 'ENOTFOUND' }));
      return;
    }
    const list = addresses.map((address) => ({ address, family: net.isIP(address) }));
    if (options.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  }) as unknown as LookupFunction;
  return { lookup, queries };
}

/**
 * Runs `send` with every TCP connection attempt of this process failing and counted: a target
 * refused "before connecting" is never contacted, even if the guard were broken.
 */
async function withoutConnecting<T>(
  send: () => Promise<T>,
): Promise<{ result: T; attempts: number }> {
  let attempts = 0;
  const spy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function () {
    attempts += 1;
    throw new Error('test: a connection was attempted');
  });
  try {
    return { result: await send(), attempts };
  } finally {
    spy.mockRestore();
  }
}

/** Connections a receiver accepted (a refused target must get none). */
function countConnections(receiver: Receiver): () => number {
  let count = 0;
  receiver.server.on('connection', () => (count += 1));
  return () => count;
}

const payload = { hello: 'world' };
const REFUSAL =
  /^refused by --outbound public: .+ is a (loopback|private|link-local|CGNAT|NAT64|reserved) address; /;

async function createWebhook(
  sandbox: Sandbox,
  url: string,
  profile: 'plugin' | 'standard' = 'plugin',
): Promise<WebhookJson> {
  const res = await sandbox.api<WebhookJson>('POST', '/sandbox/webhooks', {
    name: `outbound ${profile}`,
    webhook_url: url,
    event: 'payment_received',
    profile,
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Fires `payment_received` and waits until the webhook's delivery has an attempt. */
async function fireAndWait(sandbox: Sandbox, webhook: WebhookJson): Promise<DeliveryJson> {
  const fired = await sandbox.api<{ deliveries: string[] }>('POST', '/sandbox/fire', {
    event: 'payment_received',
  });
  expect(fired.status, fired.text).toBe(202);
  return eventually(async () => {
    const page = await sandbox.api<{ items: DeliveryJson[] }>(
      'GET',
      `/sandbox/deliveries?webhook=${webhook.id}`,
    );
    const delivery = page.json.items[0];
    return delivery && delivery.attempts.length > 0 ? delivery : undefined;
  });
}

describe('--outbound public, on a loopback test server', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  let connections: () => number;
  let outbound: Outbound;
  const resolver = testResolver({ 'hooks.test': ['127.0.0.1'] });

  beforeAll(async () => {
    receiver = await startReceiver();
    connections = countConnections(receiver);
    sandbox = await startSandbox({ outbound: 'public' }, { lookup: resolver.lookup });
    outbound = sandbox.server.context.outbound;
  });
  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });

  it('is the mode /api/info reports', async () => {
    expect(outbound.mode).toBe('public');
    const info = await sandbox.api<{ outbound: string }>('GET', '/info');
    expect(info.json.outbound).toBe('public');
  });

  it('refuses address literals before connecting, naming the setting and the kind of address', async () => {
    const targets: Array<[string, string]> = [
      ['http://10.0.0.5/hook', '10.0.0.5 is a private address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://100.64.0.1/hook', '100.64.0.1 is a CGNAT address'],
      ['http://[64:ff9b::a00:5]/hook', '64:ff9b::a00:5 is a NAT64 address'],
      [`${receiver.url}/hook`, '127.0.0.1 is a loopback address'],
      [`http://[::1]:${receiver.port}/hook`, '::1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${receiver.port}/hook`, 'is a loopback address'],
      ['http://192.0.2.10/hook', '192.0.2.10 is a reserved address'],
    ];
    for (const [url, says] of targets) {
      const { result, attempts } = await withoutConnecting(async () => [
        await outbound.send({ method: 'POST', url, headers: [], body: Buffer.from('{}') }),
        await outbound.deliver(url, payload, { profile: 'plugin' }),
        await outbound.deliver(url, payload, { profile: 'standard', secret: generateSecret() }),
      ]);
      expect(attempts, url).toBe(0);
      for (const sent of result) {
        expect(sent.error?.kind, url).toBe('blocked');
        expect(sent.error?.message).toMatch(REFUSAL);
        expect(sent.error?.message).toContain(says);
        expect(sent.error?.message).toContain('--outbound any');
      }
    }
    expect(
      (
        await outbound.send({
          method: 'GET',
          url: 'http://10.0.0.5/',
          headers: [],
          body: Buffer.alloc(0),
        })
      ).error?.message,
    ).toMatch(/^refused by --outbound public: 10\.0\.0\.5 is a private address; /);
    expect(receiver.received).toHaveLength(0);
    expect(connections()).toBe(0);
  });

  it('refuses a name that resolves to loopback (test resolver): checked when resolved', async () => {
    const url = `http://hooks.test:${receiver.port}/by-name`;
    const results = [
      await outbound.send({ method: 'POST', url, headers: [], body: Buffer.from('{}') }),
      await outbound.deliver(url, payload, { profile: 'plugin' }),
      await outbound.deliver(url, payload, { profile: 'standard', secret: generateSecret() }),
    ];
    for (const result of results) {
      expect(result.error?.kind).toBe('blocked');
      expect(result.error?.message).toContain('hooks.test (127.0.0.1) is a loopback address');
    }
    expect(resolver.queries).toContain('hooks.test');
    expect(receiver.received).toHaveLength(0);
    expect(connections()).toBe(0);
  });

  it('refuses sandbox deliveries and Send Test Event to such a target, saying why', async () => {
    const hook = await createWebhook(sandbox, `http://hooks.test:${receiver.port}/sandbox`);
    const delivery = await fireAndWait(sandbox, hook);
    expect(delivery.attempts[0]!.error?.kind).toBe('blocked');
    expect(delivery.attempts[0]!.error?.message).toMatch(REFUSAL);
    const test = await sandbox.api<TestResultJson>('POST', `/sandbox/webhooks/${hook.id}/test`);
    expect(test.status).toBe(200);
    expect(test.json.error?.kind).toBe('blocked');
    expect(test.json.response).toMatch(REFUSAL);
    expect(receiver.received).toHaveLength(0);
    expect(connections()).toBe(0);
    await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`);
  });

  it("captures deliveries to this server's own bins in process (no connection at all)", async () => {
    const bin = await sandbox.api<{ id: string }>('POST', '/bins', { id: 'own-bin' });
    expect(bin.status, bin.text).toBe(201);
    const url = `${sandbox.url}/b/own-bin/hook?x=1`;
    const secret = generateSecret();
    const { result, attempts } = await withoutConnecting(async () => [
      await outbound.deliver(url, payload, { profile: 'plugin' }),
      await outbound.deliver(url, payload, { profile: 'standard', secret, messageId: 'msg_own' }),
      await outbound.send({
        method: 'PUT',
        url,
        headers: [['X-Replayed', 'yes']],
        body: Buffer.from([0, 1, 2, 255]),
      }),
    ]);
    expect(attempts).toBe(0);
    for (const sent of result) expect(sent.status).toBe(200);
    const sent = result[2] as Awaited<ReturnType<Outbound['send']>>;
    expect(sent.inProcess).toBe(true);
    expect(JSON.parse(sent.body!)).toMatchObject({ ok: true, bin: 'own-bin' });

    const list = await sandbox.api<{
      items: Array<{ id: string; method: string; path: string; query: string }>;
    }>('GET', '/bins/own-bin/requests');
    const [put, standard, plugin] = list.json.items;
    expect(list.json.items).toHaveLength(3);
    expect(plugin).toMatchObject({ method: 'POST', path: '/hook', query: 'x=1' });
    expect(put).toMatchObject({ method: 'PUT' });
    // Stored as the capture handler stores it: the exact header lines and body bytes.
    const full = async (id: string) =>
      (
        await sandbox.api<{ headers: Array<[string, string]>; body_base64: string }>(
          'GET',
          `/bins/own-bin/requests/${id}`,
        )
      ).json;
    const pluginFull = await full(plugin!.id);
    expect(pluginFull.headers[0]![0]).toBe('Host');
    expect(pluginFull.headers.find(([n]) => n === 'User-Agent')?.[1]).toMatch(/^WordPress\//);
    const standardFull = await full(standard!.id);
    const body = Buffer.from(standardFull.body_base64, 'base64').toString('utf8');
    const verified = verify({
      secret,
      headers: Object.fromEntries(standardFull.headers.map(([n, v]) => [n.toLowerCase(), v])),
      body,
    });
    expect(verified.id).toBe('msg_own');
    const putFull = await full(put!.id);
    expect(Buffer.from(putFull.body_base64, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(putFull.headers).toEqual([
      ['Host', new URL(sandbox.url).host],
      ['X-Replayed', 'yes'],
      ['Content-Length', '4'],
      ['Connection', 'close'],
    ]);
  });

  it("keeps to the attempt's time bound when an own bin answers slowly (stored all the same)", async () => {
    const created = await sandbox.api('POST', '/bins', {
      id: 'slow-bin',
      response: { status: 200, headers: [], body: 'late', delay_ms: 5000 },
    });
    expect(created.status, created.text).toBe(201);
    const attempt = await outbound.deliver(`${sandbox.url}/b/slow-bin`, payload, {
      profile: 'plugin',
      timeoutMs: 200,
    });
    expect(attempt.error?.kind).toBe('timeout');
    const list = await sandbox.api<{ items: unknown[] }>('GET', '/bins/slow-bin/requests');
    expect(list.json.items).toHaveLength(1);
  });

  it('delivers a sandbox webhook to an own bin (the plugin tutorial on a shared server)', async () => {
    await sandbox.api('POST', '/bins', { id: 'tutorial' });
    const hook = await createWebhook(sandbox, `${sandbox.url}/b/tutorial`);
    const delivery = await fireAndWait(sandbox, hook);
    expect(delivery.attempts[0]!.status).toBe(200);
    expect(delivery.attempts[0]!.error).toBeNull();
    const list = await sandbox.api<{ items: unknown[] }>('GET', '/bins/tutorial/requests');
    expect(list.json.items).toHaveLength(1);
    await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`);
  });

  it('checks every redirect hop: an own bin answering 302 to another local port is not followed there', async () => {
    const created = await sandbox.api('POST', '/bins', {
      id: 'bounce',
      response: {
        status: 302,
        headers: [['Location', `${receiver.url}/after-redirect`]],
        body: '',
      },
    });
    expect(created.status, created.text).toBe(201);
    const hook = await createWebhook(sandbox, `${sandbox.url}/b/bounce`);
    const delivery = await fireAndWait(sandbox, hook);
    const attempt = delivery.attempts[0]!;
    expect(attempt.error?.kind).toBe('blocked');
    expect(attempt.error?.message).toContain('127.0.0.1 is a loopback address');
    // The first hop was captured (in process); the second was refused before connecting.
    const list = await sandbox.api<{ items: unknown[] }>('GET', '/bins/bounce/requests');
    expect(list.json.items).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);
    expect(connections()).toBe(0);
    // A raw send follows no redirect: the 302 is the answer.
    const raw = await outbound.send({
      method: 'POST',
      url: `${sandbox.url}/b/bounce`,
      headers: [],
      body: Buffer.from('{}'),
    });
    expect(raw.status).toBe(302);
    expect(raw.headers).toContainEqual(['Location', `${receiver.url}/after-redirect`]);
    await sandbox.api('DELETE', `/sandbox/webhooks/${hook.id}`);
  });
});

describe('--outbound public behind --public-url', () => {
  it('captures the public capture URLs in process, a path prefix too; nothing is resolved or connected', async () => {
    const resolver = testResolver({});
    for (const publicUrl of ['https://hooks.example.test', 'https://example.test/hooks/']) {
      const sandbox = await startSandbox(
        { outbound: 'public', publicUrl },
        { lookup: resolver.lookup },
      );
      try {
        expect((await sandbox.api('POST', '/bins', { id: 'public-bin' })).status).toBe(201);
        const base = publicUrl.replace(/\/+$/, '');
        const { outbound } = sandbox.server.context;
        expect(outbound.isOwnCaptureUrl(`${base}/b/public-bin/x`)).toBe(true);
        expect(outbound.isOwnCaptureUrl(`${base}/api/bins`)).toBe(false);
        expect(outbound.isOwnCaptureUrl('https://other.example.test/b/public-bin')).toBe(false);
        const { result, attempts } = await withoutConnecting(async () => [
          await outbound.send({
            method: 'POST',
            url: `${base}/b/public-bin/x?y=1`,
            headers: [['Content-Type', 'application/json']],
            body: Buffer.from('{"a":1}'),
          }),
          await outbound.deliver(`${base}/b/public-bin`, payload, { profile: 'plugin' }),
        ]);
        expect(attempts).toBe(0);
        expect(result.map((r) => r.status)).toEqual([200, 200]);
        const list = await sandbox.api<{ items: Array<{ path: string; query: string }> }>(
          'GET',
          '/bins/public-bin/requests',
        );
        expect(list.json.items.map((r) => [r.path, r.query])).toEqual([
          ['/', ''],
          ['/x', 'y=1'],
        ]);
      } finally {
        await sandbox.close();
      }
    }
    expect(resolver.queries).toEqual([]);
  });
});

describe('--outbound any (the default on loopback)', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  const resolver = testResolver({ 'hooks.test': ['127.0.0.1'] });

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({}, { lookup: resolver.lookup });
  });
  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });

  it('sends to loopback literals and names, over the network', async () => {
    const { outbound } = sandbox.server.context;
    expect(outbound.mode).toBe('any');
    expect((await sandbox.api<{ outbound: string }>('GET', '/info')).json.outbound).toBe('any');
    for (const url of [
      `${receiver.url}/literal`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/mapped`,
      `http://hooks.test:${receiver.port}/named`,
    ]) {
      const sent = await outbound.send({
        method: 'POST',
        url,
        headers: [],
        body: Buffer.from('{}'),
      });
      expect(sent.status, url).toBe(200);
      expect(sent.inProcess).toBe(false);
      expect((await outbound.deliver(url, payload, { profile: 'plugin' })).status).toBe(200);
      const standard = await outbound.deliver(url, payload, {
        profile: 'standard',
        secret: generateSecret(),
      });
      expect(standard.status).toBe(200);
    }
    expect(receiver.received).toHaveLength(9);
    expect(resolver.queries).toContain('hooks.test');
  });
});

describe('the setting', () => {
  it('defaults to any on loopback and public on other addresses; refuses other values', () => {
    expect(outboundMode(resolveConfig({ host: '127.0.0.1' }))).toBe('any');
    expect(outboundMode(resolveConfig({ host: 'localhost' }))).toBe('any');
    expect(outboundMode(resolveConfig({ host: '0.0.0.0' }))).toBe('public');
    expect(outboundMode(resolveConfig({ host: '0.0.0.0', outbound: 'any' }))).toBe('any');
    expect(outboundMode(resolveConfig({ host: '127.0.0.1', outbound: 'public' }))).toBe('public');
    expect(() => resolveConfig({ outbound: 'private' as 'any' })).toThrow(
      /--outbound: use "any" .* or "public"/,
    );
  });

  it('umhooks serve prints it at start-up (flag and UMHOOKS_OUTBOUND)', async () => {
    const flag = await spawnServer(['--memory', '--outbound', 'public']);
    try {
      await eventually(() => (flag.output().includes('Outbound') ? true : undefined));
      expect(flag.output()).toMatch(/Outbound +public: /);
    } finally {
      await flag.stop();
    }
    const env = await spawnServer(['--memory'], { UMHOOKS_OUTBOUND: 'public' });
    try {
      await eventually(() => (env.output().includes('Outbound') ? true : undefined));
      expect(env.output()).toMatch(/Outbound +public: /);
    } finally {
      await env.stop();
    }
    const plain = await spawnServer(['--memory']);
    try {
      await eventually(() => (plain.output().includes('Outbound') ? true : undefined));
      expect(plain.output()).toMatch(/Outbound +any: /);
    } finally {
      await plain.stop();
    }
  });
});
