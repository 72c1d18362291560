import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { Delivery } from '../../../bin-server/src/store/types.js';
import { summarize, toRequestSummaryJson } from '../../../bin-server/src/wire/request.js';
import { toDeliveryJson } from '../../../bin-server/src/wire/sandbox.js';
import { startTestServer } from '../../support/server.js';
import { liveViewer } from '../../support/viewer.js';
import { send } from '../../support/http-client.js';

let server: RunningServer;
const wsBase = () => server.url.replace(/^http/, 'ws');

/** A viewer of this file's server that records every message. */
const viewer = (query: string, headers: Record<string, string> = {}) =>
  liveViewer(server.url, query, headers);

/** The HTTP status an upgrade attempt gets (101 when it opens). */
function upgradeStatus(query: string, headers: Record<string, string> = {}, path = '/ws') {
  const socket = new WebSocket(`${wsBase()}${path}?${query}`, { headers });
  return new Promise<{ status: number; body: string }>((resolve) => {
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('open', () => {
      socket.terminate();
      resolve({ status: 101, body: '' });
    });
    socket.on('error', () => undefined);
  });
}

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ['live-one', 'live-two', 'live-three', 'live-slow']) {
    await server.context.store.bins.create({ id, name: id, now: Date.now() });
  }
});
afterAll(async () => {
  await server.close();
});

describe('live: viewers', () => {
  it('says hello with the watched bins, then pushes request metadata without the body', async () => {
    const v = await viewer('bin=live-one&bin=nobody-here');
    await v.until((m) => m.length >= 1);
    expect(v.messages[0]).toEqual({
      type: 'hello',
      bins: ['live-one', 'nobody-here'],
      unknown_bins: ['nobody-here'],
      sandbox: false,
    });
    const reply = await send(server.url, '/b/live-one/path?q=1', {
      body: 'secret body',
      headers: { 'content-type': 'text/plain' },
    });
    await v.until((m) => m.some((x) => x.type === 'request'));
    const pushed = v.messages.find((m) => m.type === 'request')!;
    const stored = await server.context.store.requests.get(
      'live-one',
      reply.headers['x-request-id'] as string,
    );
    expect(pushed).toEqual({
      type: 'request',
      bin: 'live-one',
      request: toRequestSummaryJson(summarize(stored!), null),
    });
    expect(JSON.stringify(pushed)).not.toContain('secret body');
    v.socket.close();
  });

  it('pushes only the watched bins, and follows subscribe and unsubscribe messages', async () => {
    const v = await viewer('bin=live-two');
    await v.until((m) => m.length >= 1);
    await send(server.url, '/b/live-three', { body: 'not watched' });
    await send(server.url, '/b/live-two', { body: 'watched' });
    await v.until((m) => m.some((x) => x.type === 'request'));
    expect(
      v.messages.filter((m) => m.type === 'request').map((m) => m.type === 'request' && m.bin),
    ).toEqual(['live-two']);

    v.socket.send(JSON.stringify({ type: 'subscribe', bins: ['live-three'] }));
    await v.until((m) => m.filter((x) => x.type === 'hello').length >= 2);
    expect(v.messages.at(-1)).toMatchObject({ type: 'hello', bins: ['live-two', 'live-three'] });
    v.socket.send(JSON.stringify({ type: 'unsubscribe', bins: ['live-two'] }));
    await v.until((m) => m.filter((x) => x.type === 'hello').length >= 3);
    expect(v.messages.at(-1)).toMatchObject({ type: 'hello', bins: ['live-three'] });
    await send(server.url, '/b/live-two', { body: 'no longer watched' });
    await send(server.url, '/b/live-three', { body: 'now watched' });
    await v.until((m) => m.filter((x) => x.type === 'request').length >= 2);
    const bins = v.messages.flatMap((m) => (m.type === 'request' ? [m.bin] : []));
    expect(bins).toEqual(['live-two', 'live-three']);
    v.socket.close();
  });

  it('pushes every request of a burst to every viewer, in the order they were stored', async () => {
    await server.context.store.bins.create({ id: 'live-burst', name: 'burst', now: Date.now() });
    const viewers = [await viewer('bin=live-burst'), await viewer('bin=live-burst')];
    for (const v of viewers) await v.until((m) => m.length >= 1);
    // Concurrent captures are committed and pushed in batches: many frames in one turn.
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => send(server.url, '/b/live-burst', { body: `${i}` })),
    );
    const ids = new Set(replies.map((r) => r.headers['x-request-id'] as string));
    for (const v of viewers) {
      await v.until((m) => m.filter((x) => x.type === 'request').length >= 100);
      const pushed = v.messages.flatMap((m) => (m.type === 'request' ? [m.request] : []));
      expect(new Set(pushed.map((r) => r.id))).toEqual(ids);
      expect(pushed.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      v.socket.close();
    }
  });

  it('closes a viewer that sends something it does not understand (1008)', async () => {
    const v = await viewer('bin=live-one');
    const closed = new Promise<number>((resolve) => v.socket.on('close', (code) => resolve(code)));
    v.socket.send('{"type":"subscribe","bins":["../etc"]}');
    expect(await closed).toBe(1008);
  });

  it('forwards sandbox messages to ?sandbox=1 viewers only', async () => {
    const sandbox = await viewer('sandbox=1');
    const bins = await viewer('bin=live-one');
    await sandbox.until((m) => m.length >= 1);
    expect(sandbox.messages[0]).toEqual({
      type: 'hello',
      bins: [],
      unknown_bins: [],
      sandbox: true,
    });
    const delivery: Delivery = {
      id: 'dlv_1',
      webhookId: 7,
      event: 'site_published',
      payload: '{"id":1}',
      profile: 'plugin',
      url: 'http://127.0.0.1:9/hook',
      status: 'pending',
      attemptCount: 0,
      createdAt: Date.UTC(2026, 0, 1),
      nextAttemptAt: Date.UTC(2026, 0, 1),
      leaseOwner: undefined,
      leaseUntil: undefined,
    };
    server.context.bus.publish({ type: 'delivery.queued', delivery });
    await sandbox.until((m) => m.length >= 2);
    expect(sandbox.messages[1]).toEqual({ type: 'delivery', delivery: toDeliveryJson(delivery) });
    await bins.until((m) => m.length >= 1);
    expect(bins.messages.map((m) => m.type)).toEqual(['hello']);
    sandbox.socket.close();
    bins.socket.close();
  });
});

describe('live: refused upgrades', () => {
  it('refuses invalid bin ids, too many bins, other paths and foreign origins', async () => {
    expect((await upgradeStatus('bin=../api')).status).toBe(400);
    expect((await upgradeStatus('bin=%2e%2e%2fapi')).status).toBe(400);
    const many = Array.from({ length: 51 }, (_, i) => `bin=many-bins-${i}`).join('&');
    const tooMany = await upgradeStatus(many);
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.body).message).toMatch(/at most 50 bins/);
    expect((await upgradeStatus('bin=live-one', {}, '/wsx')).status).toBe(404);
    expect((await upgradeStatus('bin=live-one', { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    const host = new URL(server.url).host;
    expect((await upgradeStatus('bin=live-one', { origin: `http://${host}` })).status).toBe(101);
  });
});

/** Reads server frames (unmasked) from raw bytes: text frame count and the close code, if any. */
function frames(bytes: Buffer): { texts: number; closeCode: number | undefined } {
  let offset = 0;
  let texts = 0;
  let closeCode: number | undefined;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset]! & 0x0f;
    let length = bytes[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (offset + 4 > bytes.length) break;
      length = bytes.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (offset + 10 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (offset + header + length > bytes.length) break;
    if (opcode === 1) texts += 1;
    if (opcode === 8 && length >= 2) closeCode = bytes.readUInt16BE(offset + header);
    offset += header + length;
  }
  return { texts, closeCode };
}

describe('live: slow viewers', () => {
  it('closes a viewer that stops reading (1013) while capture and other viewers go on', async () => {
    // A viewer on a raw socket that completes the handshake and then stops reading.
    const url = new URL(server.url);
    const slow = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    await new Promise<void>((resolve) => {
      slow.on('data', function onHandshake(chunk: Buffer) {
        received.push(chunk);
        const text = Buffer.concat(received).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end === -1) return;
        expect(text).toMatch(/^HTTP\/1\.1 101/);
        const rest = Buffer.concat(received).subarray(end + 4);
        received.length = 0;
        received.push(rest);
        slow.off('data', onHandshake);
        slow.pause();
        resolve();
      });
      slow.write(
        `GET /ws?bin=live-slow HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const fast = await viewer('bin=live-slow');

    // ~12 KB of headers per request, so each push is ~12 KB: 1,200 of them (~15 MB) overflow
    // the kernel's socket buffers and then the hub's 1 MiB bound.
    const total = 1200;
    const filler = 'f'.repeat(12 * 1024);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          next += 1;
          const reply = await send(server.url, '/b/live-slow', {
            headers: { 'x-filler': filler },
            body: 'x',
          });
          statuses.push(reply.status);
        }
      }),
    );
    expect(statuses).toHaveLength(total);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await fast.until((m) => m.filter((x) => x.type === 'request').length >= total);

    // Now read what the slow viewer was sent: part of the stream, then a 1013 close.
    const result = await new Promise<ReturnType<typeof frames>>((resolve) => {
      const check = () => {
        const parsed = frames(Buffer.concat(received));
        if (parsed.closeCode !== undefined) resolve(parsed);
      };
      slow.on('data', (chunk: Buffer) => {
        received.push(chunk);
        check();
      });
      slow.on('close', () => resolve(frames(Buffer.concat(received))));
      slow.resume();
    });
    slow.destroy();
    expect(result.closeCode).toBe(1013);
    expect(result.texts).toBeGreaterThan(1); // the hello and some requests
    expect(result.texts).toBeLessThan(total);
    fast.socket.close();
  });
});

describe('live: shutdown', () => {
  it('closes viewers with 1001 when the server stops', async () => {
    const own = await startTestServer();
    await own.context.store.bins.create({ id: 'closing', name: 'c', now: Date.now() });
    const socket = new WebSocket(`${own.url.replace(/^http/, 'ws')}/ws?bin=closing`);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await own.close();
    expect(await closed).toBe(1001);
  });
});
