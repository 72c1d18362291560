// core's sendRaw (a request sent as given, for replays) and the guard's named refusals.
import { addressCategory, sendRaw } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver((request) =>
    request.url === '/gone' ? { status: 410, body: 'gone' } : { body: 'fine' },
  );
});
afterAll(async () => {
  await receiver.close();
});

describe('sendRaw', () => {
  it('writes the method, header lines and body bytes exactly as given', async () => {
    const body = Buffer.from([0x7b, 0x00, 0xff, 0x7d]);
    const result = await sendRaw({
      method: 'PATCH',
      url: `${receiver.url}/raw?x=1`,
      headers: [
        ['Host', `127.0.0.1:${receiver.port}`],
        ['x-Mixed-Case', 'a'],
        ['X-Dup', '1'],
        ['X-Dup', '2'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(result.status).toBe(200);
    expect(result.body).toBe('fine');
    const got = receiver.received.at(-1)!;
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe('/raw?x=1');
    expect(got.headers).toEqual([
      ['Host', `127.0.0.1:${receiver.port}`],
      ['x-Mixed-Case', 'a'],
      ['X-Dup', '1'],
      ['X-Dup', '2'],
      ['Content-Length', '4'],
      // node:http's one addition: a connection of its own per request, closed after it.
      ['Connection', 'close'],
    ]);
    expect(got.body).toEqual(body);
  });

  it('reports a bad URL and a refused target as errors, never throwing', async () => {
    const bad = await sendRaw({
      method: 'GET',
      url: 'ftp://x/',
      headers: [],
      body: Buffer.alloc(0),
    });
    expect(bad.error?.kind).toBe('invalid-url');
    const before = receiver.received.length;
    const blocked = await sendRaw(
      { method: 'GET', url: `${receiver.url}/`, headers: [], body: Buffer.alloc(0) },
      { blockPrivateNetworks: true, blockedHint: { setting: '--my-setting', advice: 'do X.' } },
    );
    expect(blocked.error).toMatchObject({
      kind: 'blocked',
      message: 'refused by --my-setting: 127.0.0.1 is a loopback address; do X.',
    });
    expect(receiver.received.length).toBe(before);
  });
});

describe('addressCategory', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['fd00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['64:ff9b::a00:5', 'NAT64'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['8.8.8.8', undefined],
  ])('%s is %s', (address, category) => {
    expect(addressCategory(address)).toBe(category);
  });
});
