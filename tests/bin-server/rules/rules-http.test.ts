import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { RequestJson } from '../../../bin-server/src/wire/request.js';
import { dropSchemas, hasPostgres, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { send } from '../../support/http-client.js';
import { startTestServer } from '../../support/server.js';
import { call } from '../scale-out/helpers.js';

// Response rules seen from real HTTP clients, on SQLite and on PostgreSQL with two instances
// (rules saved on A answer on B, and the fault counts are one sequence across both).

const setRules = async (base: string, bin: string, rules: unknown[]) => {
  const saved = await call(base, 'PUT', `/api/bins/${bin}/rules`, { rules });
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
  return saved.json;
};

const post = (
  base: string,
  path: string,
  body: unknown = {},
  headers: Record<string, string> = {},
) =>
  send(base, path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

/** A request that sees how the exchange ends: a reply, an error (reset), or our own timeout. */
function exchange(
  base: string,
  path: string,
  timeoutMs: number,
): Promise<
  | { kind: 'reply'; status: number; chunks: number; body: string }
  | { kind: 'error'; code: string }
  | { kind: 'timeout' }
> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path,
      method: 'POST',
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    req.on('response', (res) => {
      let chunks = 0;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks += 1;
        parts.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          kind: 'reply',
          status: res.statusCode ?? 0,
          chunks,
          body: Buffer.concat(parts).toString(),
        });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'error', code: error.code ?? String(error) });
    });
    req.end('{}');
  });
}

function suite(
  name: string,
  start: () => Promise<[RunningServer, RunningServer]>,
  stop: () => Promise<void>,
) {
  describe(name, () => {
    let a: RunningServer;
    let b: RunningServer;
    let n = 0;
    const newBin = async () => {
      n += 1;
      const id = `rules-${name.replace(/\W/g, '')}-${n}`.slice(0, 60);
      expect((await call(a.url, 'POST', '/api/bins', { id })).status).toBe(201);
      return id;
    };

    beforeAll(async () => {
      [a, b] = await start();
    });
    afterAll(stop);

    it('answers with the first rule that matches, per condition, else the bin’s response', async () => {
      const bin = await newBin();
      await call(a.url, 'PATCH', `/api/bins/${bin}`, {
        response: { status: 202, body: 'default' },
      });
      await setRules(a.url, bin, [
        { name: 'method', match: { methods: ['put'] }, status: 201, body: 'put' },
        { name: 'path', match: { path: '/orders/*' }, status: 210, body: 'orders' },
        { name: 'query', match: { query: [{ field: 'mode', equals: 'test' }] }, status: 211 },
        {
          name: 'header',
          match: { headers: [{ field: 'X-Tenant', one_of: ['a', 'b'] }] },
          status: 212,
        },
        { name: 'body-eq', match: { body: [{ field: 'site.id', equals: '42' }] }, status: 213 },
        { name: 'body-exists', match: { body: [{ field: 'refund', exists: true }] }, status: 214 },
        { name: 'event', match: { events: ['payment_received'] }, status: 215 },
        { name: 'shadowed', match: { path: '/orders/*' }, status: 299 },
      ]);
      // B answers: rules saved on A reach it (the same store; the bin cache drops on bin.changed).
      const statusOf = async (
        path: string,
        body: unknown = {},
        headers: Record<string, string> = {},
        method = 'POST',
      ) =>
        (
          await send(b.url, path, {
            method,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json', ...headers },
          })
        ).status;
      expect(await statusOf(`/b/${bin}/x`, {}, {}, 'PUT')).toBe(201);
      expect(await statusOf(`/b/${bin}/orders/7`)).toBe(210);
      expect(await statusOf(`/b/${bin}/orders/7/items`)).toBe(202); // `*` stays in one segment
      expect(await statusOf(`/b/${bin}?mode=test`)).toBe(211);
      expect(await statusOf(`/b/${bin}?mode=live`)).toBe(202);
      expect(await statusOf(`/b/${bin}`, {}, { 'x-tenant': 'b' })).toBe(212);
      expect(await statusOf(`/b/${bin}`, {}, { 'x-tenant': 'c' })).toBe(202);
      expect(await statusOf(`/b/${bin}`, { site: { id: 42 } })).toBe(213);
      expect(await statusOf(`/b/${bin}`, { site: { id: 43 } })).toBe(202);
      expect(await statusOf(`/b/${bin}`, { refund: null })).toBe(214);
      expect(await statusOf(`/b/${bin}/payment_received`, {})).toBe(215);
      const reply = await post(b.url, `/b/${bin}/nothing`);
      expect([reply.status, reply.body.toString()]).toEqual([202, 'default']);

      // Each request records which rule answered and how, in the API's request shape.
      const page = (await call(a.url, 'GET', `/api/bins/${bin}/requests?limit=20`)).json as {
        items: RequestJson[];
      };
      const answers = page.items
        .map((r) => [r.answer?.rule, r.answer?.rule_name, r.answer?.status])
        .reverse();
      expect(answers.slice(0, 3)).toEqual([
        [0, 'method', 201],
        [1, 'path', 210],
        [null, null, 202],
      ]);
      expect(answers.at(-1)).toEqual([null, null, 202]);
    });

    it('renders templates over the request, never into headers or the status line', async () => {
      const bin = await newBin();
      await setRules(a.url, bin, [
        {
          match: { path: '/big' },
          template: true,
          body: '{{#json.items}}{{json.pad}}{{/json.items}}',
        },
        {
          template: true,
          status: 200,
          headers: [['content-type', 'text/plain']],
          body: 'id={{id}} m={{method}} p={{path}} q={{query.x}} h={{headers.x-note}} s={{json.site.id}} e={{json.evil}} c={{json.constructor}}<{{headers.x-html}}>',
        },
      ]);
      const reply = await post(
        b.url,
        `/b/${bin}/t?x=1`,
        { site: { id: 7 }, evil: 'a\r\nX-Injected: yes\r\n\r\nHTTP/1.1 500 Bad' },
        { 'x-note': 'hello', 'x-html': '<b>&' },
      );
      expect(reply.status).toBe(200);
      expect(reply.headers['x-injected']).toBeUndefined();
      const id = reply.headers['x-request-id'] as string;
      expect(reply.body.toString()).toBe(
        `id=${id} m=POST p=/t q=1 h=hello s=7 e=a\r\nX-Injected: yes\r\n\r\nHTTP/1.1 500 Bad c=<<b>&>`,
      );
      // Output is bounded: 10 KB at most, else a 500 that says so (and nothing grows unbounded).
      const big = await post(b.url, `/b/${bin}/big`, {
        items: Array.from({ length: 200 }, () => 1),
        pad: 'x'.repeat(100),
      });
      expect(big.status).toBe(500);
      expect(JSON.parse(big.body.toString())).toMatchObject({ error: 'template_failed' });
    });

    it('fails the first N matches, then answers (one count across instances)', async () => {
      const bin = await newBin();
      await setRules(a.url, bin, [
        { status: 200, body: 'ok', fault: { kind: 'fail_first', count: 3, status: 503 } },
      ]);
      const statuses: number[] = [];
      for (const base of [a.url, b.url, a.url, b.url, a.url])
        statuses.push((await post(base, `/b/${bin}`)).status);
      expect(statuses).toEqual([503, 503, 503, 200, 200]);
      // Saving the rules starts the count again. (Saved where the next requests arrive: another
      // instance drops its cached bin when the change notice reaches it, a moment later.)
      await setRules(a.url, bin, [
        { status: 200, fault: { kind: 'fail_first', count: 1, status: 500 } },
      ]);
      expect((await post(a.url, `/b/${bin}`)).status).toBe(500);
      expect((await post(a.url, `/b/${bin}`)).status).toBe(200);
      const page = (await call(a.url, 'GET', `/api/bins/${bin}/requests`)).json as {
        items: RequestJson[];
      };
      expect(page.items.at(-1)!.answer).toEqual({
        rule: 0,
        rule_name: null,
        status: 503,
        fault: 'fail_first',
        detail: 'match 1 of the first 3',
      });
    });

    it('fails a seeded percentage: the same matches fail on every run', async () => {
      const run = async () => {
        const bin = await newBin();
        await setRules(a.url, bin, [
          { fault: { kind: 'fail_percent', percent: 30, seed: 12345, status: 502 } },
        ]);
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++)
          statuses.push((await post(i % 2 ? a.url : b.url, `/b/${bin}`)).status);
        return statuses;
      };
      const first = await run();
      expect(await run()).toEqual(first);
      const failed = first.filter((s) => s === 502).length;
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThan(40);
    });

    it('resets the connection, holds it without an answer, or trickles the body', async () => {
      const bin = await newBin();
      await setRules(a.url, bin, [
        { match: { path: '/reset' }, fault: { kind: 'reset' } },
        { match: { path: '/hang' }, fault: { kind: 'hang' } },
        {
          match: { path: '/slow' },
          body: 'y'.repeat(60),
          fault: { kind: 'trickle', bytes_per_second: 100 },
        },
      ]);
      expect(await exchange(b.url, `/b/${bin}/reset`, 10_000)).toEqual({
        kind: 'error',
        code: 'ECONNRESET',
      });
      expect(await exchange(b.url, `/b/${bin}/hang`, 500)).toEqual({ kind: 'timeout' });
      const slow = await exchange(b.url, `/b/${bin}/slow`, 10_000);
      expect(slow).toMatchObject({ kind: 'reply', status: 200, body: 'y'.repeat(60) });
      // 10 bytes per write: the body came in several pieces, not one.
      expect((slow as { chunks: number }).chunks).toBeGreaterThan(1);
      const page = (await call(a.url, 'GET', `/api/bins/${bin}/requests`)).json as {
        items: RequestJson[];
      };
      expect(page.items.map((r) => [r.path, r.answer?.fault, r.answer?.status]).reverse()).toEqual([
        ['/reset', 'reset', null],
        ['/hang', 'hang', null],
        ['/slow', 'trickle', 200],
      ]);
    });

    it('refuses bad rules with an error naming the field, and previews a captured request', async () => {
      const bin = await newBin();
      const bad = async (rule: unknown) => {
        const answer = await call(a.url, 'PUT', `/api/bins/${bin}/rules`, { rules: [rule] });
        expect(answer.status).toBe(400);
        return answer.json as { error: string; field: string; message: string };
      };
      expect(await bad({ match: { path: '/a/[b' } })).toMatchObject({
        field: 'rules.0.match.path',
      });
      expect(await bad({ template: true, body: '{{#a}}x' })).toMatchObject({
        field: 'rules.0.body',
        message: expect.stringContaining('Unclosed section'),
      });
      expect(await bad({ fault: { kind: 'fail_percent', percent: 101 } })).toMatchObject({
        field: 'rules.0.fault.percent',
      });
      expect(
        await bad({ headers: Array.from({ length: 11 }, (_, i) => [`x-${i}`, 'v']) }),
      ).toMatchObject({
        field: 'rules.0.headers',
      });
      expect(await bad({ headers: [['x-a', 'b\r\nx-c: d']] })).toMatchObject({
        field: 'rules.0.headers.0.1',
      });
      expect(await bad({ template: true, body: '{{> other}}' })).toMatchObject({
        field: 'rules.0.body',
      });
      expect((await call(a.url, 'GET', `/api/bins/${bin}/rules`)).json).toEqual({ rules: [] });

      await setRules(a.url, bin, [{ name: 'all', body: 'saved' }]);
      const captured = await post(b.url, `/b/${bin}/p?x=9`, { site: { id: 3 } });
      const requestId = captured.headers['x-request-id'] as string;
      const saved = await call(a.url, 'POST', `/api/bins/${bin}/rules/preview`, {
        request_id: requestId,
      });
      expect(saved.json).toMatchObject({ rule: 0, rule_name: 'all', status: 200, body: 'saved' });
      const tried = await call(a.url, 'POST', `/api/bins/${bin}/rules/preview`, {
        request_id: requestId,
        rules: [
          { match: { query: [{ field: 'x', equals: '1' }] }, body: 'no' },
          {
            name: 'site',
            status: 201,
            template: true,
            body: '<site {{json.site.id}} {{query.x}}>',
          },
        ],
      });
      expect(tried.json).toMatchObject({
        rule: 1,
        rule_name: 'site',
        status: 201,
        body: '<site 3 9>',
      });
      // Previewing counts nothing and saves nothing.
      expect((await call(a.url, 'GET', `/api/bins/${bin}/rules`)).json).toMatchObject({
        rules: [{ name: 'all', body: 'saved' }],
      });
    });
  });
}

let sqlite: RunningServer | undefined;
suite(
  'on SQLite',
  async () => {
    sqlite = await startTestServer();
    return [sqlite, sqlite];
  },
  async () => {
    await sqlite?.close();
  },
);

const schema = uniqueSchema('umhooks_rules');
let pair: RunningServer[] = [];
if (hasPostgres) {
  suite(
    'on PostgreSQL, set on A and answered on B',
    async () => {
      pair = await Promise.all([
        startTestServer({ store: storeUrl(schema) }),
        startTestServer({ store: storeUrl(schema) }),
      ]);
      return [pair[0]!, pair[1]!];
    },
    async () => {
      await Promise.all(pair.map((s) => s.close()));
      await dropSchemas([schema]);
    },
  );
}
