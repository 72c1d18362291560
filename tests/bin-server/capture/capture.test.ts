import { randomBytes } from 'node:crypto';
import { catalog } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { BinResponse, CapturedRequest } from '../../../bin-server/src/store/types.js';
import { startTestServer } from '../../support/server.js';
import { rawExchange, send } from '../../support/http-client.js';

let server: RunningServer;
let bins = 0;

/** A fresh bin (created through the store: these tests are about capture, not the API). */
async function newBin(response?: BinResponse): Promise<string> {
  const id = `capture-${++bins}-${randomBytes(4).toString('hex')}`;
  await server.context.store.bins.create({ id, name: id, response, now: Date.now() });
  return id;
}

async function stored(binId: string, requestId: string): Promise<CapturedRequest> {
  const request = await server.context.store.requests.get(binId, requestId);
  if (!request) throw new Error(`request ${requestId} was not stored in ${binId}`);
  return request;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('capture: bodies are stored byte for byte', () => {
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const boundary = '----umhooks7MA4YWxkTrZu0gW';
  const multipart = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhéllo\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    allBytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const cases: Array<[string, Buffer, string | undefined]> = [
    ['every byte value', allBytes, 'application/octet-stream'],
    [
      'invalid UTF-8',
      Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0x28]),
      'text/plain; charset=utf-8',
    ],
    ['multipart with a binary file', multipart, `multipart/form-data; boundary=${boundary}`],
    ['invalid JSON', Buffer.from('{"event": "payment_received", "amount": '), 'application/json'],
    ['an empty body', Buffer.alloc(0), undefined],
    ['a form', Buffer.from('a=1&b=%F0%9F%98%80&a=2'), 'application/x-www-form-urlencoded'],
    ['1 MB of random bytes', randomBytes(1024 * 1024), 'application/octet-stream'],
  ];
  for (const [name, body, contentType] of cases) {
    it(name, async () => {
      const bin = await newBin();
      const reply = await send(server.url, `/b/${bin}`, {
        body,
        headers: contentType ? { 'content-type': contentType } : {},
      });
      expect(reply.status).toBe(200);
      const id = reply.headers['x-request-id'] as string;
      const request = await stored(bin, id);
      expect(Buffer.from(request.body).equals(body)).toBe(true);
      const page = await server.context.store.requests.list(bin, { limit: 1, includeBody: false });
      expect(page.items[0]).toMatchObject({
        id,
        size: body.length,
        contentType: contentType ?? '',
      });
    });
  }

  it('a chunked body (no Content-Length) is stored whole', async () => {
    const bin = await newBin();
    const raw = await rawExchange(
      server.url,
      `POST /b/${bin} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    const id = /x-request-id: (\S+)/i.exec(raw)![1]!;
    expect(Buffer.from((await stored(bin, id)).body).toString()).toBe('hello world');
  });
});

describe('capture: any method, any sub-path, raw query and headers', () => {
  for (const method of [
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'HEAD',
    'OPTIONS',
    'PROPFIND',
    'PURGE',
  ]) {
    it(`captures ${method}`, async () => {
      const bin = await newBin();
      const reply = await send(server.url, `/b/${bin}/m`, {
        method,
        body: method === 'HEAD' ? undefined : 'x',
      });
      expect(reply.status).toBe(200);
      const request = await stored(bin, reply.headers['x-request-id'] as string);
      expect(request.method).toBe(method);
      expect(request.path).toBe('/m');
    });
  }

  it('keeps sub-paths and the query exactly as sent', async () => {
    const bin = await newBin();
    const check = async (target: string, path: string, query: string) => {
      const reply = await send(server.url, target, { method: 'GET' });
      const request = await stored(bin, reply.headers['x-request-id'] as string);
      expect({ path: request.path, query: request.query }).toEqual({ path, query });
    };
    await check(`/b/${bin}`, '/', '');
    await check(`/b/${bin}/`, '/', '');
    await check(`/b/${bin}?only=query`, '/', 'only=query');
    await check(`/b/${bin}/a/b%2Fc/d.json?x=1&x=2&y=%20&z`, '/a/b%2Fc/d.json', 'x=1&x=2&y=%20&z');
    await check(`/b/${bin}/../../api/bins?`, '/../../api/bins', '');
  });

  it('keeps raw headers in order, with their case and duplicates', async () => {
    const bin = await newBin();
    const raw = await rawExchange(
      server.url,
      `PUT /b/${bin}/h HTTP/1.1\r\nHost: example.test\r\nX-Zeta: 1\r\nx-alpha: a\r\nX-ALPHA: b\r\nset-Cookie: c=1\r\nSet-Cookie: d=2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`,
    );
    const id = /x-request-id: (\S+)/i.exec(raw)![1]!;
    expect((await stored(bin, id)).rawHeaders).toEqual([
      'Host',
      'example.test',
      'X-Zeta',
      '1',
      'x-alpha',
      'a',
      'X-ALPHA',
      'b',
      'set-Cookie',
      'c=1',
      'Set-Cookie',
      'd=2',
      'Content-Length',
      '2',
      'Connection',
      'close',
    ]);
  });

  it('records the peer address and ignores X-Forwarded-For unless told to trust a proxy', async () => {
    const bin = await newBin();
    const reply = await send(server.url, `/b/${bin}`, {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect((await stored(bin, reply.headers['x-request-id'] as string)).remoteAddress).toBe(
      '127.0.0.1',
    );

    const proxied = await startTestServer({ trustProxy: true });
    try {
      await proxied.context.store.bins.create({ id: 'behind-proxy', name: 'p', now: Date.now() });
      const viaProxy = await send(proxied.url, '/b/behind-proxy', {
        headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' },
      });
      const request = await proxied.context.store.requests.get(
        'behind-proxy',
        viaProxy.headers['x-request-id'] as string,
      );
      expect(request?.remoteAddress).toBe('203.0.113.9');
    } finally {
      await proxied.close();
    }
  });

  it('records the time it received the request', async () => {
    const bin = await newBin();
    const before = Date.now();
    const reply = await send(server.url, `/b/${bin}`);
    const after = Date.now();
    const { receivedAt } = await stored(bin, reply.headers['x-request-id'] as string);
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(after);
  });
});

describe('capture: answers', () => {
  it('answers 200 with a non-empty JSON body and the request id by default', async () => {
    const bin = await newBin();
    const reply = await send(server.url, `/b/${bin}`, { body: '{}' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    const id = reply.headers['x-request-id'] as string;
    expect(id).toMatch(/^req_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
    expect(JSON.parse(reply.body.toString())).toEqual({
      ok: true,
      id,
      bin,
      message: 'Captured by umhooks',
    });
    await stored(bin, id);
  });

  it("answers with the bin's status, headers (order and duplicates) and body", async () => {
    const bin = await newBin({
      status: 201,
      headers: [
        ['X-Custom', 'yes'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Length', '9999'],
        ['X-Request-Id', 'spoofed'],
      ],
      body: 'created ✓',
      delayMs: 0,
    });
    const reply = await send(server.url, `/b/${bin}`, { body: 'x' });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-custom']).toBe('yes');
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body.toString()).toBe('created ✓');
    const id = reply.headers['x-request-id'] as string;
    expect(id).toMatch(/^req_/);
    await stored(bin, id);
  });

  it('applies a changed response from the very next request, and stops at a deleted bin', async () => {
    const bin = await newBin();
    expect((await send(server.url, `/b/${bin}`, { body: 'x' })).status).toBe(200);
    const patched = await send(server.url, `/api/bins/${bin}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response: { status: 418, headers: [], body: 'teapot', delay_ms: 0 } }),
    });
    expect(patched.status).toBe(200);
    const changed = await send(server.url, `/b/${bin}`, { body: 'x' });
    expect(changed.status).toBe(418);
    expect(changed.body.toString()).toBe('teapot');
    expect((await send(server.url, `/api/bins/${bin}`, { method: 'DELETE' })).status).toBe(204);
    expect((await send(server.url, `/b/${bin}`, { body: 'x' })).status).toBe(404);
  });

  it('answers a bodiless status (204) without a body', async () => {
    const bin = await newBin({ status: 204, headers: [], body: 'ignored', delayMs: 0 });
    const reply = await send(server.url, `/b/${bin}`, { body: 'x' });
    expect(reply.status).toBe(204);
    expect(reply.body.length).toBe(0);
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
  });

  it('stores the request before waiting out the configured delay', async () => {
    const bin = await newBin({ status: 202, headers: [], body: 'late', delayMs: 5000 });
    let answered = false;
    const pending = send(server.url, `/b/${bin}`, { body: 'wait for it' }).then((reply) => {
      answered = true;
      return reply;
    });
    let items: unknown[] = [];
    while (items.length === 0) {
      await new Promise((r) => setTimeout(r, 20));
      items = (await server.context.store.requests.list(bin, { limit: 1, includeBody: false }))
        .items;
    }
    expect(answered).toBe(false);
    const reply = await pending;
    expect(reply.status).toBe(202);
    expect(reply.body.toString()).toBe('late');
  });

  it('answers a CORS preflight permissively and still captures it', async () => {
    const bin = await newBin({ status: 500, headers: [], body: 'not for preflights', delayMs: 0 });
    const reply = await send(server.url, `/b/${bin}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sender.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type, x-signature',
      },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['access-control-allow-methods']).toBe('PUT');
    expect(reply.headers['access-control-allow-headers']).toBe('content-type, x-signature');
    expect((await stored(bin, reply.headers['x-request-id'] as string)).method).toBe('OPTIONS');
  });
});

describe('capture: per-bin ring buffer', () => {
  it('keeps the newest --max-requests and counts the evicted ones', async () => {
    const small = await startTestServer({ maxRequests: 3 });
    try {
      await small.context.store.bins.create({ id: 'ring-bin', name: 'r', now: Date.now() });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await send(small.url, '/b/ring-bin', { body: `#${i}` });
        ids.push(reply.headers['x-request-id'] as string);
      }
      const page = await small.context.store.requests.list('ring-bin', {
        limit: 10,
        includeBody: true,
      });
      expect(page.items.map((r) => r.id)).toEqual(ids.slice(2).reverse());
      expect(page.items.map((r) => Buffer.from(r.body!).toString())).toEqual(['#4', '#3', '#2']);
      expect(await small.context.store.bins.get('ring-bin')).toMatchObject({
        requestCount: 5,
        evictedCount: 2,
      });
    } finally {
      await small.close();
    }
  });
});

describe('retention: TTL sweep', () => {
  it('deletes bins unused for --ttl, with their requests, and keeps the others', async () => {
    const short = await startTestServer({ ttl: '1s' });
    try {
      const { store } = short.context;
      await store.bins.create({ id: 'long-unused', name: 'stale', now: Date.now() - 60_000 });
      await store.requests.insert(
        {
          id: 'req_stale',
          binId: 'long-unused',
          receivedAt: Date.now(),
          method: 'POST',
          path: '/',
          query: '',
          rawHeaders: [],
          body: Buffer.from('old'),
          remoteAddress: '127.0.0.1',
          recognition: undefined,
        },
        10,
      );
      await store.bins.create({ id: 'in-use-now', name: 'fresh', now: Date.now() + 60_000 });
      while (await store.bins.get('long-unused')) await new Promise((r) => setTimeout(r, 50));
      expect(await store.requests.get('long-unused', 'req_stale')).toBeUndefined();
      expect(await store.bins.get('in-use-now')).toBeDefined();
      // Captured traffic does not keep a bin alive; it is simply refused once the bin is gone.
      expect((await send(short.url, '/b/long-unused', { body: 'x' })).status).toBe(404);
    } finally {
      await short.close();
    }
  });
});

describe('capture: event recognition (uses @umhooks/core)', () => {
  const delivered = () => {
    const event = catalog.find((e) => e.delivery === 'webhook');
    if (!event) throw new Error('the @umhooks/core catalog has no webhook event');
    return event;
  };

  it('recognizes a JSON body as its event, without issues for a valid sample', async () => {
    const event = delivered();
    const bin = await newBin();
    const reply = await send(server.url, `/b/${bin}`, {
      body: JSON.stringify(event.sample),
      headers: { 'content-type': 'application/json' },
    });
    const { recognition } = await stored(bin, reply.headers['x-request-id'] as string);
    expect(recognition).toBeDefined();
    expect(recognition!.expected).toBeUndefined();
    const best = recognition!.candidates.filter(
      (c) => c.score === recognition!.candidates[0]!.score,
    );
    expect(best.map((c) => c.event)).toContain(event.id);
    expect(best.map((c) => c.event)).toContain(recognition!.checkedEvent);
    expect(recognition!.issues).toEqual([]);
  });

  it('checks the body against the event named by the trailing path segment', async () => {
    const event = delivered();
    const bin = await newBin();
    const reply = await send(server.url, `/b/${bin}/${event.id}`, {
      body: '{"unrelated": true}',
      headers: { 'content-type': 'application/json' },
    });
    const { recognition } = await stored(bin, reply.headers['x-request-id'] as string);
    expect(recognition).toMatchObject({ expected: event.id, checkedEvent: event.id });
    expect(recognition!.issues.length).toBeGreaterThan(0);

    const notJson = await send(server.url, `/b/${bin}/${event.id}`, { body: 'plain text' });
    const second = await stored(bin, notJson.headers['x-request-id'] as string);
    expect(second.recognition).toMatchObject({ expected: event.id, checkedEvent: event.id });
    expect(second.recognition!.issues).toEqual([
      expect.objectContaining({ path: '', code: 'not_object' }),
    ]);
  });

  it('takes only a known event id as the expected event', async () => {
    const event = delivered();
    const bin = await newBin();
    const reply = await send(server.url, `/b/${bin}/not_an_event_at_all`, {
      body: JSON.stringify(event.sample),
    });
    const { recognition } = await stored(bin, reply.headers['x-request-id'] as string);
    expect(recognition?.expected).toBeUndefined();
  });

  it('leaves bodies that are not JSON unrecognized, but says where a claimed JSON body breaks', async () => {
    const bin = await newBin();
    const recognitionOf = async (body: string, contentType: string) => {
      const reply = await send(server.url, `/b/${bin}`, {
        body,
        headers: { 'content-type': contentType },
      });
      return (await stored(bin, reply.headers['x-request-id'] as string)).recognition;
    };
    for (const body of ['hello', '', '<xml/>', '{not json']) {
      expect(await recognitionOf(body, 'text/plain')).toBeUndefined();
    }
    expect(await recognitionOf('', 'application/json')).toBeUndefined();
    for (const body of ['hello', '<xml/>', '{not json']) {
      const recognition = await recognitionOf(body, 'application/json');
      expect(recognition).toMatchObject({ candidates: [], issues: [] });
      expect(recognition!.checkedEvent).toBeUndefined();
      expect(recognition!.jsonError).toMatchObject({ line: 1 });
    }
  });
});
