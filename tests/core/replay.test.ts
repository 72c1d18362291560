import { buildReplay, replayUrl, replayedHeaders, sendReplay } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';

describe('replayUrl: the path and query below the bin, appended to the target', () => {
  const cases: Array<[string, string, string, string]> = [
    ['http://localhost:3000/webhooks', '/', '', 'http://localhost:3000/webhooks'],
    ['http://localhost:3000/webhooks', '', '', 'http://localhost:3000/webhooks'],
    ['http://localhost:3000/webhooks/', '/orders/7', '', 'http://localhost:3000/webhooks/orders/7'],
    ['http://localhost:3000', '/orders', 'x=1&x=2', 'http://localhost:3000/orders?x=1&x=2'],
    ['http://localhost:3000/h?key=k', '/o', 'x=1', 'http://localhost:3000/h/o?key=k&x=1'],
    ['http://localhost:3000/h?key=k', '/', '', 'http://localhost:3000/h?key=k'],
    ['https://[::1]:8443/h', '/a%20b', 'q=%2F', 'https://[::1]:8443/h/a%20b?q=%2F'],
  ];
  it.each(cases)('%s + %s ? %s', (target, path, query, expected) => {
    expect(replayUrl(target, { path, query }).href).toBe(expected);
  });
});

describe('replayedHeaders', () => {
  it('keeps end-to-end headers as captured and drops hop-by-hop and Connection-named ones', () => {
    expect(
      replayedHeaders([
        ['Host', 'bin.example'],
        ['Content-Type', 'application/json'],
        ['X-Dup', '1'],
        ['x-dup', '2'],
        ['Connection', 'keep-alive, X-Hop , x-other'],
        ['x-hop', 'a'],
        ['X-Other', 'b'],
        ['Keep-Alive', 'timeout=5'],
        ['Transfer-Encoding', 'chunked'],
        ['TE', 'trailers'],
        ['Upgrade', 'h2c'],
        ['Proxy-Connection', 'keep-alive'],
        ['Expect', '100-continue'],
        ['Content-Length', '2'],
        ['webhook-signature', 'v1,abc'],
      ]),
    ).toEqual([
      ['Content-Type', 'application/json'],
      ['X-Dup', '1'],
      ['x-dup', '2'],
      ['webhook-signature', 'v1,abc'],
    ]);
  });
});

describe('buildReplay and sendReplay', () => {
  let target: Receiver;
  beforeAll(async () => {
    target = await startReceiver((request) => ({ status: 201, body: `got ${request.method}` }));
  });
  afterAll(async () => {
    await target.close();
  });

  it('frames the request for the target and sends exactly those lines and bytes', async () => {
    const body = Uint8Array.from([0x7b, 0xff, 0x00, 0x7d]);
    const request = buildReplay(`${target.url}/in`, {
      method: 'PATCH',
      path: '/x',
      query: 'y=1',
      headers: [
        ['X-A', '1'],
        ['Host', 'old.example'],
      ],
      body,
    });
    expect(request.headers).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ['X-A', '1'],
      ['Content-Length', '4'],
      ['Connection', 'close'],
    ]);
    const attempt = await sendReplay(request);
    expect(attempt).toMatchObject({ status: 201, responseBody: 'got PATCH' });
    const got = target.received.at(-1)!;
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe('/in/x?y=1');
    expect(got.headers).toEqual(request.headers);
    expect(new Uint8Array(got.body)).toEqual(body);
  });

  it('sends no Content-Length for a bodiless GET, one for an empty POST', () => {
    const base = { path: '/', query: '', headers: [], body: new Uint8Array() };
    const get = buildReplay(target.url, { ...base, method: 'GET' });
    const post = buildReplay(target.url, { ...base, method: 'POST' });
    expect(get.headers.map(([name]) => name)).toEqual(['Host', 'Connection']);
    expect(post.headers).toContainEqual(['Content-Length', '0']);
  });

  it('records a network failure or a bad URL as an error, never a throw', async () => {
    const closed = await startReceiver();
    await closed.close();
    const refused = await sendReplay(
      buildReplay(closed.url, {
        method: 'POST',
        path: '/',
        query: '',
        headers: [],
        body: new Uint8Array(),
      }),
    );
    expect(refused.status).toBeUndefined();
    expect(refused.error?.kind).toBe('refused');
    const bad = await sendReplay({
      method: 'POST',
      url: 'ftp://x/',
      headers: [],
      body: new Uint8Array(),
    });
    expect(bad.error?.kind).toBe('invalid-url');
  });
});
