import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';
import type { RequestJson, RequestSummaryJson } from '../../../bin-server/src/wire/request.js';
import { dropSchemas, hasPostgres, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { startTestServer } from '../../support/server.js';
import { liveViewer as viewer } from '../../support/viewer.js';
import { call } from './helpers.js';

// Two server instances on different ports sharing one PostgreSQL schema, as behind a load
// balancer: whatever one does, the other sees — stored data, live pushes, long-polls, settings.

describe.runIf(hasPostgres)('two instances on one PostgreSQL database', () => {
  const schema = uniqueSchema('umhooks_pair');
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestServer({ store: storeUrl(schema) }),
      startTestServer({ store: storeUrl(schema) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropSchemas([schema]);
  });

  it('a bin created on A, captured on B, shows live on a viewer of A and in A’s API', async () => {
    expect(a.url).not.toBe(b.url);
    const created = await call(a.url, 'POST', '/api/bins', { name: 'shared' });
    expect(created.status).toBe(201);
    const bin = created.json as BinJson;
    const watching = await viewer(a.url, `bin=${bin.id}`);
    try {
      await watching.next((m) => m.type === 'hello');
      const captured = await fetch(`${b.url}/b/${bin.id}/payment_received?via=b`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-from': 'instance-b' },
        body: JSON.stringify({ hello: 'from B' }),
      });
      expect(captured.status).toBe(200);
      const requestId = captured.headers.get('x-request-id')!;
      expect(requestId).toBeTruthy();

      const pushed = await watching.next((m) => m.type === 'request');
      expect(pushed).toMatchObject({
        type: 'request',
        bin: bin.id,
        request: {
          id: requestId,
          seq: 1,
          method: 'POST',
          path: '/payment_received',
          query: 'via=b',
        },
      });
      const summary = (pushed as { request: RequestSummaryJson }).request;
      expect(summary.headers).toContainEqual(['x-from', 'instance-b']);

      const listed = await call(a.url, 'GET', `/api/bins/${bin.id}/requests`);
      expect(listed.status).toBe(200);
      const items = (listed.json as { items: RequestJson[] }).items;
      expect(items.map((r) => r.id)).toEqual([requestId]);
      expect(items[0]!.body_text).toBe('{"hello":"from B"}');
      const readOnA = (await call(a.url, 'GET', `/api/bins/${bin.id}`)).json as BinJson;
      expect(readOnA.request_count).toBe(1);
    } finally {
      watching.close();
    }
  });

  it('a response configured on A applies to the very next capture on B (its bin cache is told)', async () => {
    const bin = (await call(a.url, 'POST', '/api/bins', {})).json as BinJson;
    // B reads (and caches) the bin with the default answer.
    expect((await fetch(`${b.url}/b/${bin.id}`, { method: 'POST' })).status).toBe(200);
    const patched = await call(a.url, 'PATCH', `/api/bins/${bin.id}`, {
      response: { status: 202, headers: [['x-configured', 'on-a']], body: 'accepted', delay_ms: 0 },
    });
    expect(patched.status).toBe(200);
    // The change reaches B over the bus (asynchronously): the next captures answer 202.
    let answer: Response | undefined;
    for (let i = 0; i < 100; i++) {
      answer = await fetch(`${b.url}/b/${bin.id}`, { method: 'POST' });
      if (answer.status === 202) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answer!.status).toBe(202);
    expect(answer!.headers.get('x-configured')).toBe('on-a');
    expect(await answer!.text()).toBe('accepted');
  });

  it('a request too large for NOTIFY reaches A’s viewer as a refetch notice, and A serves it', async () => {
    const bin = (await call(a.url, 'POST', '/api/bins', {})).json as BinJson;
    const watching = await viewer(a.url, `bin=${bin.id}`);
    try {
      await watching.next((m) => m.type === 'hello');
      const headers: Record<string, string> = {};
      for (let i = 0; i < 10; i++) headers[`x-padding-${i}`] = 'p'.repeat(1000);
      const captured = await fetch(`${b.url}/b/${bin.id}`, { method: 'PUT', headers, body: 'big' });
      expect(captured.status).toBe(200);
      const requestId = captured.headers.get('x-request-id')!;
      const notice = await watching.next((m) => m.type === 'refetch');
      expect(notice).toEqual({
        type: 'refetch',
        topic: `bin:${bin.id}`,
        of: 'request',
        bin: bin.id,
        id: requestId,
      });
      const one = await call(a.url, 'GET', `/api/bins/${bin.id}/requests/${requestId}`);
      expect(one.status).toBe(200);
      expect((one.json as RequestJson).headers).toContainEqual(['x-padding-9', 'p'.repeat(1000)]);
    } finally {
      watching.close();
    }
  });

  it('a long-poll on A for the next request is answered by a capture on B', async () => {
    const bin = (await call(a.url, 'POST', '/api/bins', {})).json as BinJson;
    const waiting = call(a.url, 'GET', `/api/bins/${bin.id}/requests/latest?wait=20`);
    // Captured only once the long-poll is surely listening: a request that arrived before it
    // began would answer it too, and the test would prove nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const captured = await fetch(`${b.url}/b/${bin.id}`, { method: 'POST', body: 'next one' });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect((answer.json as RequestJson).id).toBe(captured.headers.get('x-request-id'));
    expect((answer.json as RequestJson).body_text).toBe('next one');
  });

  it('a bin deleted on B is gone on A, live and in its API', async () => {
    const bin = (await call(a.url, 'POST', '/api/bins', {})).json as BinJson;
    const watching = await viewer(a.url, `bin=${bin.id}`);
    try {
      await watching.next((m) => m.type === 'hello');
      expect((await call(b.url, 'DELETE', `/api/bins/${bin.id}`)).status).toBe(204);
      expect(await watching.next((m) => m.type === 'bin.deleted')).toEqual({
        type: 'bin.deleted',
        bin: bin.id,
      });
      expect((await call(a.url, 'GET', `/api/bins/${bin.id}`)).status).toBe(404);
      expect((await fetch(`${a.url}/b/${bin.id}`, { method: 'POST' })).status).toBe(404);
    } finally {
      watching.close();
    }
  });

  it('both instances answer with the same sandbox credentials and see the same webhooks', async () => {
    const [infoA, infoB] = await Promise.all([
      call(a.url, 'GET', '/api/info'),
      call(b.url, 'GET', '/api/info'),
    ]);
    type Info = { store: string; sandbox: { api_key: string; api_secret: string } };
    const [one, two] = [infoA.json as Info, infoB.json as Info];
    expect(one.store).toBe('postgres');
    expect([one.sandbox.api_key, one.sandbox.api_secret]).toEqual([
      two.sandbox.api_key,
      two.sandbox.api_secret,
    ]);
    // The plugin-compatible API accepts that pair on both (a Zapier app behind the load balancer
    // reaches either).
    const basic = `Basic ${Buffer.from(`${one.sandbox.api_key}:${one.sandbox.api_secret}`).toString('base64')}`;
    for (const server of [a, b]) {
      expect(
        (await call(server.url, 'GET', '/wp-json/wu/v2/auth', undefined, { authorization: basic }))
          .status,
      ).toBe(200);
    }
    const made = await call(a.url, 'POST', '/api/sandbox/webhooks', {
      name: 'Shared hook',
      webhook_url: 'https://example.com/hook',
      event: 'payment_received',
    });
    expect(made.status).toBe(201);
    const id = (made.json as { id: number }).id;
    const onB = await call(b.url, 'GET', `/api/sandbox/webhooks/${id}`);
    expect(onB.json).toMatchObject({ id, name: 'Shared hook' });
  });
});
