import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { accessToken } from '../../../bin-server/src/config.js';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { startTestServer } from '../../support/server.js';
import { rawExchange, send } from '../../support/http-client.js';

const LIMIT = 64 * 1024;
let server: RunningServer;

async function count(bin: string): Promise<number> {
  const page = await server.context.store.requests.list(bin, { limit: 500, includeBody: false });
  return page.items.length;
}

/**
 * Streams `total` bytes to the bin (chunked unless `declare`), as fast as the server reads them.
 * Resolves with the answer and how many bytes the server had let through by then.
 */
function upload(path: string, total: number, declare: boolean) {
  const url = new URL(server.url);
  return new Promise<{ status: number; body: string; written: number; closed: boolean }>(
    (resolve, reject) => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent: false,
        headers: declare ? { 'content-length': String(total) } : {},
      });
      let written = 0;
      let closed = false;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (written < total && !req.destroyed) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (written >= total) req.end();
      };
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, written, closed }));
        res.socket.on('close', () => (closed = true));
      });
      req.on('error', reject);
      pump();
    },
  );
}

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: LIMIT, headersTimeout: 500 });
  for (const id of ['big-bodies', 'traversal-target']) {
    await server.context.store.bins.create({ id, name: id, now: Date.now() });
  }
});
afterAll(async () => {
  await server.close();
});

describe('bad input: body limit', () => {
  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const total = 32 * 1024 * 1024;
    const reply = await upload('/b/big-bodies', total, true);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'body_too_large' });
    expect(JSON.parse(reply.body).message).toMatch(/--body-limit/);
    // The server answered long before the sender could push it all: it stopped reading.
    expect(reply.written).toBeLessThan(total);
    expect(await count('big-bodies')).toBe(0);
  });

  it('refuses a chunked body once it passes the limit, without reading the rest', async () => {
    const total = 32 * 1024 * 1024;
    const reply = await upload('/b/big-bodies', total, false);
    expect(reply.status).toBe(413);
    expect(reply.written).toBeLessThan(total);
    expect(await count('big-bodies')).toBe(0);
  });

  it('closes the connection after a 413', async () => {
    const raw = await rawExchange(
      server.url,
      `POST /b/big-bodies HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413/);
    expect(raw).toMatch(/connection: close/i);
  });

  it('answers Expect: 100-continue with 413 and no 100 when the body is too large', async () => {
    const raw = await rawExchange(
      server.url,
      `POST /b/big-bodies HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT * 10}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413/);
    expect(raw).not.toMatch(/100 Continue/);
  });

  it('sends 100 Continue and captures when the body fits', async () => {
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    const continued = new Promise<void>((resolve) =>
      socket.on('data', (c: string) => {
        received += c;
        if (received.includes('100 Continue')) resolve();
      }),
    );
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      'POST /b/big-bodies HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    );
    await continued;
    socket.write('hello');
    await closed;
    expect(received).toMatch(/HTTP\/1\.1 200 OK/);
    expect(await count('big-bodies')).toBe(1);
  });

  it('accepts a body of exactly the limit', async () => {
    const reply = await send(server.url, '/b/big-bodies', { body: Buffer.alloc(LIMIT, 0x62) });
    expect(reply.status).toBe(200);
  });
});

describe('bad input: headers', () => {
  it('closes a connection whose headers never finish (headersTimeout)', async () => {
    const raw = await rawExchange(server.url, 'POST /b/big-bodies HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    // Node answers 408 (or just closes); either way nothing waits forever and nothing is stored.
    expect(raw === '' || /^HTTP\/1\.1 408/.test(raw)).toBe(true);
  });

  it('answers 431 to headers over 16 KB', async () => {
    const reply = await send(server.url, '/b/big-bodies', {
      headers: { 'x-filler': 'f'.repeat(17 * 1024) },
      body: 'x',
    });
    expect(reply.status).toBe(431);
  });
});

describe('bad input: bins and paths', () => {
  it('answers 404 JSON with a hint for an unknown bin', async () => {
    const reply = await send(server.url, '/b/no-such-bin/x', { body: '{}' });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body.toString())).toEqual({
      error: 'bin_not_found',
      message:
        'No bin "no-such-bin" here. Create one in the UI or with POST /api/bins {"id":"no-such-bin"}.',
    });
  });

  const invalid = [
    '/b/../api/bins',
    '/b/..',
    '/b/%2e%2e/api/bins',
    '/b/%2E%2E%2Fapi',
    '/b/abc',
    `/b/${'a'.repeat(65)}`,
    '/b/bad$id',
    '/b/with%20space',
    '/b/',
    '/b//traversal-target',
    '/b/traversal-target%2F..%2F..%2Fapi',
  ];
  for (const path of invalid) {
    it(`refuses ${path.length > 40 ? `${path.slice(0, 40)}…` : path} as a bin id (400 JSON)`, async () => {
      const reply = await send(server.url, path, { method: 'GET' });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body.toString())).toMatchObject({ error: 'invalid_bin_id' });
    });
  }

  it('keeps ../ after a valid bin as captured data, reaching nothing else', async () => {
    const reply = await send(server.url, '/b/traversal-target/../../api/bins', { method: 'GET' });
    expect(reply.status).toBe(200);
    const request = await server.context.store.requests.get(
      'traversal-target',
      reply.headers['x-request-id'] as string,
    );
    expect(request?.path).toBe('/../../api/bins');
  });
});

describe('bad input: access token', () => {
  it('generates a token for a non-loopback host and none on loopback', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com']) {
      const decided = accessToken({ host, token: undefined });
      expect(decided.generated).toBe(true);
      expect(decided.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
    expect(accessToken({ host: '0.0.0.0', token: undefined }).token).not.toBe(
      accessToken({ host: '0.0.0.0', token: undefined }).token,
    );
    for (const host of ['127.0.0.1', '127.3.2.1', 'localhost', '::1']) {
      expect(accessToken({ host, token: undefined })).toEqual({
        token: undefined,
        generated: false,
      });
    }
    expect(accessToken({ host: '0.0.0.0', token: 'given-token-123456' })).toEqual({
      token: 'given-token-123456',
      generated: false,
    });
  });

  it('requires the token for the UI, /api and /ws, but not for capture URLs', async () => {
    const token = 'test-token-0123456789abcdef';
    const guarded = await startTestServer({ token });
    try {
      await guarded.context.store.bins.create({ id: 'open-bin', name: 'o', now: Date.now() });
      for (const path of ['/', '/api/info', '/api/bins', '/index.html']) {
        const reply = await send(guarded.url, path, { method: 'GET' });
        expect(reply.status, path).toBe(401);
        expect(JSON.parse(reply.body.toString())).toMatchObject({ error: 'unauthorized' });
      }
      const wrong = await send(guarded.url, '/api/info', {
        method: 'GET',
        headers: { authorization: 'Bearer not-the-token-at-all' },
      });
      expect(wrong.status).toBe(401);
      const right = await send(guarded.url, '/api/info', {
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(right.status).not.toBe(401);
      const captured = await send(guarded.url, '/b/open-bin', { body: 'no token needed' });
      expect(captured.status).toBe(200);

      const refused = new WebSocket(`${guarded.url.replace('http', 'ws')}/ws?bin=open-bin`);
      const status = await new Promise<number | undefined>((resolve) => {
        refused.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        refused.on('open', () => resolve(101));
        refused.on('error', () => undefined);
      });
      refused.terminate();
      expect(status).toBe(401);
      const allowed = new WebSocket(`${guarded.url.replace('http', 'ws')}/ws?bin=open-bin`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await new Promise((resolve, reject) => {
        allowed.on('open', resolve);
        allowed.on('error', reject);
      });
      allowed.close();
    } finally {
      await guarded.close();
    }
  });
});
