import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { send } from '../../support/http-client.js';
import { hasPostgres, sql, startPostgresProxy, uniqueSchema } from '../../support/postgres.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { eventually } from '../../support/sandbox.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';
import { startTestServer } from '../../support/server.js';
import { liveViewer, type LiveViewer } from '../../support/viewer.js';

/**
 * PostgreSQL goes away mid-load: umhooks reaches it through a TCP proxy on 127.0.0.1 that the
 * test cuts (every connection reset, new ones refused) and restores. Captures and fires answer
 * 503 meanwhile, never a false success; afterwards the bus reconnects and tells viewers to
 * refetch, the dispatcher delivers again, and every acknowledged request is in the database.
 */

const BIN = 'pg-outage-bin';
const EVENT = 'payment_received';
const schema = uniqueSchema('umhooks_outage');
let proxy: TcpProxy;
let server: RunningServer;
let receiver: Receiver;
let viewer: LiveViewer;
const acknowledged = new Set<string>();
const firedIds: string[] = [];

async function capture(n: number): Promise<number> {
  const reply = await send(server.url, `/b/${BIN}`, { body: `{"n":${n}}` });
  if (reply.status === 200) acknowledged.add(reply.headers['x-request-id'] as string);
  return reply.status;
}

async function fire(n: number): Promise<number> {
  const reply = await send(server.url, '/api/sandbox/fire', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: EVENT, force: true, payload: { n } }),
  });
  if (reply.status === 202) {
    firedIds.push(...(JSON.parse(reply.body.toString()) as { deliveries: string[] }).deliveries);
  }
  return reply.status;
}

beforeAll(async () => {
  if (!hasPostgres) return;
  const proxied = await startPostgresProxy(schema);
  proxy = proxied.proxy;
  receiver = await startReceiver();
  server = await startTestServer(
    { memory: false, store: proxied.storeUrl },
    { dispatcher: { stopGraceMs: 50 } },
  );
  await server.context.store.bins.create({ id: BIN, name: 'outage', now: Date.now() });
  const hook = await send(server.url, '/api/sandbox/webhooks', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Outage', webhook_url: receiver.url, event: EVENT }),
  });
  expect(hook.status).toBe(201);
  viewer = await liveViewer(server.url, `bin=${BIN}`);
}, 60_000);

afterAll(async () => {
  viewer?.close();
  await server?.close().catch(() => undefined);
  await proxy?.close();
  await receiver?.close();
  if (hasPostgres) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

describe.runIf(hasPostgres)('PostgreSQL outage (a TCP proxy cut and restored)', () => {
  it('answers 503 while the database is away, never a false 200, and takes writes again after', async () => {
    for (let n = 0; n < 10; n++) expect(await capture(n)).toBe(200);
    expect(await fire(0)).toBe(202);

    proxy.cut();
    const during: number[] = [];
    for (let n = 100; n < 120; n++) during.push(await capture(n));
    const fireDuring = await fire(100);
    // Every answer is a 503 or a capture that was really stored (checked at the end).
    for (const status of during) expect([200, 503]).toContain(status);
    expect(during.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect([202, 503]).toContain(fireDuring);

    proxy.restore();
    await eventually(async () => ((await capture(200)) === 200 ? true : undefined), 30_000);
    for (let n = 201; n < 211; n++) expect(await capture(n)).toBe(200);
    await eventually(async () => ((await fire(200)) === 202 ? true : undefined), 30_000);
  }, 120_000);

  it('tells live viewers to refetch once the bus is back, then streams again', async () => {
    await viewer.next((m) => m.type === 'refetch', 30_000);
    const status = await capture(300);
    expect(status).toBe(200);
    await viewer.next(
      (m) => m.type === 'request' && m.request.id === [...acknowledged].at(-1),
      15_000,
    );
  }, 60_000);

  it('delivers every acknowledged fire and keeps every acknowledged capture', async () => {
    await eventually(
      async () => {
        const page = await server.context.store.deliveries.list({ limit: 1000 });
        const done = new Set(page.items.filter((d) => d.status === 'succeeded').map((d) => d.id));
        return firedIds.every((id) => done.has(id)) ? true : undefined;
      },
      30_000,
      'every acknowledged fire delivered',
    );
    const rows = await sql<{ id: string }>(`SELECT id FROM ${schema}.requests WHERE bin_id = $1`, [
      BIN,
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
  }, 60_000);
});
