import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliver,
  generateSecret,
  getEvent,
  receive,
  receiveRequest,
  verifyAndReceiveRequest,
  WebhookBodyTooLargeError,
  WebhookVerificationError,
  type Received,
} from '../../../core/src/index.js';

// Receivers as an app would write them (the README's examples), on real servers on 127.0.0.1;
// the requests come from core's deliver(): signed (standard profile) or as the plugin sends them.

const SECRET = generateSecret();
const payment = getEvent('payment_received')!;

/** What the apps answer: what they understood, so the test sees it through HTTP. */
function summary(result: Received) {
  return {
    ok: result.ok,
    event: result.event,
    eventId: result.eventId,
    signature: result.signature.status,
    messageId: result.signature.status === 'valid' ? result.signature.id : null,
    // Narrowing on the event types the data: payment_total_raw is number | null here.
    total: result.event === 'payment_received' && result.ok ? result.data.payment_total_raw : null,
    issues: result.issues.map((issue) => issue.code),
  };
}

function statusOf(result: Received): number {
  if (result.signature.status === 'invalid') return 401;
  return result.ok ? 200 : 400;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function json(body: string | undefined): unknown {
  return JSON.parse(body ?? 'null');
}

describe('an express app receives core-signed webhooks', () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    // The raw body: signatures are over these bytes, which express.json() would not keep.
    app.post('/hooks/payment', express.raw({ type: '*/*' }), (req, res) => {
      const result = receive({
        headers: req.headers,
        body: req.body as Buffer,
        secret: SECRET,
        event: 'payment_received',
      });
      res.status(statusOf(result)).json(summary(result));
    });
    app.post('/hooks/plugin', express.raw({ type: '*/*' }), (req, res) => {
      const result = receive({ headers: req.headers, body: req.body as Buffer });
      res.status(statusOf(result)).json(summary(result));
    });
    server = http.createServer(app);
    url = await listen(server);
  });
  afterAll(() => close(server));

  it('a signed payment_received: 200, the event, the typed total, the message id', async () => {
    const attempt = await deliver(`${url}/hooks/payment`, payment.sample, {
      profile: 'standard',
      secret: SECRET,
      messageId: 'msg_express_1',
      eventId: 'payment_received',
    });
    expect(attempt.error).toBeUndefined();
    expect(attempt.status).toBe(200);
    expect(json(attempt.responseBody)).toEqual({
      ok: true,
      event: 'payment_received',
      eventId: 'payment_received',
      signature: 'valid',
      messageId: 'msg_express_1',
      total: 29,
      issues: [],
    });
  });

  it('signed with another secret: 401 with the reason', async () => {
    const attempt = await deliver(`${url}/hooks/payment`, payment.sample, {
      profile: 'standard',
      secret: generateSecret(),
    });
    expect(attempt.status).toBe(401);
    expect(json(attempt.responseBody)).toMatchObject({
      ok: false,
      signature: 'invalid',
      issues: ['signature'],
    });
  });

  it("the plugin's own request (WordPress headers, PHP JSON, unsigned) is recognized from its body", async () => {
    const site = getEvent('site_published')!;
    const attempt = await deliver(`${url}/hooks/plugin`, site.sample, {
      profile: 'plugin',
      eventId: site.id,
    });
    expect(attempt.status).toBe(200);
    expect(json(attempt.responseBody)).toMatchObject({
      ok: true,
      event: 'site_published',
      signature: 'unchecked',
      issues: [],
    });
  });
});

describe('a plain node:http server receives core-signed webhooks', () => {
  let server: http.Server;
  let url: string;
  const limit = 64 * 1024;
  /** How each request to /fetch framed its body: its Content-Length, or null (chunked). */
  const framing: Array<string | null> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.url === '/raw') {
        // Node's rawHeaders and the collected bytes.
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const result = receive({
            headers: req.rawHeaders,
            body: Buffer.concat(chunks),
            secret: SECRET,
          });
          reply(statusOf(result), summary(result));
        });
        return;
      }
      // A fetch Request built from the Node request, as fetch-style adapters do.
      framing.push(req.headers['content-length'] ?? null);
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      }
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
      const strict = req.url === '/verified';
      const received = strict
        ? verifyAndReceiveRequest(request, { secret: SECRET, maxBodyBytes: limit })
        : receiveRequest(request, {
            secret: SECRET,
            maxBodyBytes: limit,
            event: 'payment_received',
          });
      received.then(
        (result) => reply(statusOf(result), summary(result)),
        (error: unknown) => {
          if (error instanceof WebhookBodyTooLargeError)
            return reply(error.status, { error: error.message });
          if (error instanceof WebhookVerificationError) return reply(401, { error: error.reason });
          reply(500, { error: String(error) });
        },
      );
    });
    url = await listen(server);
  });
  afterAll(() => close(server));

  it('rawHeaders and the exact bytes: the event is recognized and the signature valid', async () => {
    const event = getEvent('domain_created')!;
    const attempt = await deliver(`${url}/raw`, event.sample, {
      profile: 'standard',
      secret: SECRET,
      messageId: 'msg_raw_1',
    });
    expect(attempt.status).toBe(200);
    expect(json(attempt.responseBody)).toMatchObject({
      ok: true,
      event: 'domain_created',
      signature: 'valid',
      messageId: 'msg_raw_1',
    });
  });

  it('a fetch Request made from it: receiveRequest reads the stream and types the data', async () => {
    const attempt = await deliver(`${url}/fetch`, payment.sample, {
      profile: 'standard',
      secret: SECRET,
      messageId: 'msg_fetch_1',
    });
    expect(attempt.status).toBe(200);
    expect(json(attempt.responseBody)).toEqual({
      ok: true,
      event: 'payment_received',
      eventId: 'payment_received',
      signature: 'valid',
      messageId: 'msg_fetch_1',
      total: 29,
      issues: [],
    });
  });

  it('verifyAndReceiveRequest: a valid request passes, a wrong secret is refused with 401', async () => {
    const good = await deliver(`${url}/verified`, getEvent('site_published')!.sample, {
      profile: 'standard',
      secret: SECRET,
    });
    expect(good.status).toBe(200);
    const bad = await deliver(`${url}/verified`, payment.sample, {
      profile: 'standard',
      secret: generateSecret(),
    });
    expect(bad.status).toBe(401);
    expect(json(bad.responseBody)).toEqual({ error: 'no-match' });
  });

  it('a Request whose body was already read is refused, saying why', async () => {
    const request = new Request(url, { method: 'POST', body: '{}' });
    await request.text();
    await expect(receiveRequest(request)).rejects.toThrow(/already read.*request\.clone\(\)/);
  });

  it('bodies over the limit get 413, by Content-Length or while streaming (chunked)', async () => {
    const big = JSON.stringify({ ...payment.sample, padding: 'x'.repeat(limit) });
    const declared = await fetch(`${url}/fetch`, { method: 'POST', body: big });
    expect(declared.status).toBe(413);
    const chunked = await fetch(`${url}/fetch`, {
      method: 'POST',
      body: Readable.toWeb(Readable.from([big.slice(0, 1000), big.slice(1000)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(framing.slice(-2)).toEqual([String(Buffer.byteLength(big)), null]);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: string }).error).toMatch(/longer than 65536 bytes/);
  });
});
