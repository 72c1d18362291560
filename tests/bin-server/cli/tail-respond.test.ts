import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import type { RequestWithReplaysJson } from '../../../bin-server/src/wire/replay.js';
import { startCli, type RunningCli } from '../../support/cli.js';
import { dropSchemas, hasPostgres, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { exchangeRaw } from '../../support/raw-http.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { startTestServer } from '../../support/server.js';

// Two-way forwarding: `umhooks tail <bin> --forward <app> --respond` (a real CLI process, a real
// app on loopback). While it runs the bin holds each request and the app's answer goes back to
// the original sender; when the forwarder is too slow or gone, the bin answers as configured.

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function cli(args: string[]): RunningCli {
  const running = startCli(args);
  cleanups.push(async () => {
    if (running.child.exitCode === null) running.child.kill('SIGKILL');
  });
  return running;
}

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const app = await startReceiver(...args);
  cleanups.push(async () => {
    app.release();
    await app.close();
  });
  return app;
}

/** What a sender reads off the wire: the status line, every header line in order, the body. */
interface WireAnswer {
  statusLine: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** POSTs `body` over a raw connection and reads the answer exactly as it came. */
async function post(base: string, path: string, body: Buffer): Promise<WireAnswer> {
  const head =
    `POST ${path} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const raw = await exchangeRaw(base, [Buffer.concat([Buffer.from(head), body])]);
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
  return { statusLine: statusLine!, headers, body: raw.subarray(end + 4, end + 4 + length) };
}

const header = (answer: WireAnswer, name: string) =>
  answer.headers.find(([n]) => n.toLowerCase() === name)?.[1];

async function requestOn(base: string, bin: string, id: string): Promise<RequestWithReplaysJson> {
  const res = await fetch(`${base}/api/bins/${bin}/requests/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as RequestWithReplaysJson;
}

/** A bin that answers 202 `configured` on its own. */
async function configuredBin(server: RunningServer, id: string): Promise<void> {
  const now = Date.now();
  await server.context.store.bins.create({
    id,
    name: id,
    now,
    response: { status: 202, headers: [['X-Configured', 'yes']], body: 'configured', delayMs: 0 },
  });
}

const respond = (server: string, bin: string, app: string, ...more: string[]) =>
  cli(['tail', bin, '--server', server, '--forward', app, '--respond', ...more]);

describe('umhooks tail --forward --respond', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
    cleanups.push(() => server.close());
  });

  it("sends the app's status line, header lines and exact bytes back to the original sender", async () => {
    await configuredBin(server, 'respond-bytes');
    const appBody = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x6f, 0x6b, 0x22, 0x7d, 0x0d, 0x0a]);
    const declared: Array<[string, string]> = [
      ['X-App', 'one'],
      ['x-app', 'two'],
      ['Content-Type', 'application/octet-stream'],
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2'],
      ['ETag', '"v1"'],
    ];
    const seen: Array<{ url: string; body: Buffer }> = [];
    const app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body: Buffer.concat(chunks) });
        // Hop-by-hop lines are the app's connection's own: they must not reach the sender.
        res.writeHead(201, 'Made Here', [
          ...declared.flat(),
          'Keep-Alive',
          'timeout=99',
          'Connection',
          'close, X-Hop',
          'X-Hop',
          'hop',
        ]);
        res.end(appBody);
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => app.close(resolve)));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;

    const tail = respond(server.url, 'respond-bytes', appUrl);
    await tail.until('stderr', /Answering for the bin/);
    const sent = Buffer.from('{"event":"payment_received"}');
    const answer = await post(server.url, '/b/respond-bytes/orders?x=1', sent);

    expect(answer.statusLine).toBe('HTTP/1.1 201 Made Here');
    // The app's end-to-end lines first, in its order and case (its Date too), then the capture
    // answer's own: CORS, the security headers, the request id and the framing.
    expect(answer.headers.slice(0, declared.length)).toEqual(declared);
    expect(answer.headers[declared.length]![0]).toBe('Date');
    const names = answer.headers.map(([n]) => n.toLowerCase());
    expect(names).not.toContain('x-hop');
    expect(header(answer, 'keep-alive')).not.toBe('timeout=99');
    expect(header(answer, 'content-security-policy')).toBe('sandbox');
    expect(header(answer, 'x-content-type-options')).toBe('nosniff');
    expect(header(answer, 'x-configured')).toBeUndefined();
    expect(answer.body).toEqual(appBody);
    const requestId = header(answer, 'x-request-id')!;
    expect(seen).toEqual([{ url: '/hooks/orders?x=1', body: sent }]);

    await tail.until('stdout', /↩ req_\S+: 201 from http:\/\/127\.0\.0\.1:\d+\/hooks\/orders\?x=1/);
    const stored = await requestOn(server.url, 'respond-bytes', requestId);
    expect(stored.forward).toMatchObject({
      outcome: 'answered',
      status: 201,
      reason: null,
      headers: [...declared, ['Date', expect.any(String)]],
      body_base64: appBody.toString('base64'),
    });
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
    // Gone: the bin answers as configured again, without holding anything.
    const after = await post(server.url, '/b/respond-bytes', Buffer.from('{}'));
    expect(after.statusLine).toBe('HTTP/1.1 202 Accepted');
    expect(after.body.toString()).toBe('configured');
    const afterId = header(after, 'x-request-id')!;
    expect((await requestOn(server.url, 'respond-bytes', afterId)).forward).toBeNull();
  });

  it('answers as configured, and records it, when the app is slower than --respond-timeout', async () => {
    await configuredBin(server, 'respond-slow');
    const app = await receiver(() => ({ hold: true }));
    const tail = respond(server.url, 'respond-slow', app.url, '--respond-timeout', '300ms');
    await tail.until('stderr', /up to 0\.3 s/);
    const answer = await post(server.url, '/b/respond-slow', Buffer.from('{}'));
    expect(answer.statusLine).toBe('HTTP/1.1 202 Accepted');
    expect(header(answer, 'x-configured')).toBe('yes');
    expect(answer.body.toString()).toBe('configured');
    // The app got it (now or, on a loaded machine, after the bin gave up waiting).
    await app.waitFor(1);
    const stored = await requestOn(server.url, 'respond-slow', header(answer, 'x-request-id')!);
    expect(stored.forward).toMatchObject({
      outcome: 'timed_out',
      timeout_ms: 300,
      status: null,
      reason: 'the forwarder did not answer within 300 ms',
    });
    app.release(200);
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
  });

  it("answers as configured when the app's answer is larger than a bin's may be", async () => {
    await configuredBin(server, 'respond-big');
    const app = await receiver(() => ({ status: 200, body: Buffer.alloc(10 * 1024 + 1, 0x61) }));
    const tail = respond(server.url, 'respond-big', app.url);
    await tail.until('stderr', /Answering for the bin/);
    const answer = await post(server.url, '/b/respond-big', Buffer.from('{}'));
    expect(answer.statusLine).toBe('HTTP/1.1 202 Accepted');
    expect(answer.body.toString()).toBe('configured');
    const stored = await requestOn(server.url, 'respond-big', header(answer, 'x-request-id')!);
    expect(stored.forward).toMatchObject({
      outcome: 'failed',
      status: null,
      reason:
        "the forwarder got no answer from the app: the app's answer is larger than a bin answers with (10240 bytes)",
    });
    await tail.until('stdout', /not answered by .*larger than a bin answers with/);
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
  });

  it('answers as configured, and records why, when the forwarder dies mid-request', async () => {
    await configuredBin(server, 'respond-dies');
    const app = await receiver(() => ({ hold: true }));
    const tail = respond(server.url, 'respond-dies', app.url, '--respond-timeout', '60s');
    await tail.until('stderr', /Answering for the bin/);
    const answering = post(server.url, '/b/respond-dies', Buffer.from('{"a":1}'));
    await app.waitFor(1);
    tail.child.kill('SIGKILL');
    const answer = await answering;
    expect(answer.statusLine).toBe('HTTP/1.1 202 Accepted');
    expect(answer.body.toString()).toBe('configured');
    const stored = await requestOn(server.url, 'respond-dies', header(answer, 'x-request-id')!);
    expect(stored.forward).toMatchObject({
      outcome: 'gone',
      reason: 'the forwarder disconnected before answering',
    });
  });

  it("shows the app's answer in the sandbox's Send Test Event to a bin of this server (in process)", async () => {
    await configuredBin(server, 'respond-sandbox');
    const app = await receiver((request) => ({
      status: 201,
      body: `app saw ${request.body.length} bytes`,
    }));
    const tail = respond(server.url, 'respond-sandbox', app.url);
    await tail.until('stderr', /Answering for the bin/);
    const created = await fetch(`${server.url}/api/sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'To my app',
        webhook_url: `${server.url}/b/respond-sandbox`,
        event: 'payment_received',
      }),
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: number };
    const tested = await fetch(`${server.url}/api/sandbox/webhooks/${hook.id}/test`, {
      method: 'POST',
    });
    const result = (await tested.json()) as { status: number; response: string };
    expect(app.received).toHaveLength(1);
    expect(result).toMatchObject({
      status: 201,
      response: `app saw ${app.received[0]!.body.length} bytes`,
    });
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
  });

  it('refuses a second responding forwarder for the same bin, with a clear message', async () => {
    await configuredBin(server, 'respond-one');
    const app = await receiver(() => ({ status: 204 }));
    const first = respond(server.url, 'respond-one', app.url);
    await first.until('stderr', /Answering for the bin/);
    const second = respond(server.url, 'respond-one', app.url);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain(
      'umhooks: Another forwarder already answers for bin "respond-one"',
    );
    // The first one still answers.
    const answer = await post(server.url, '/b/respond-one', Buffer.from('{}'));
    expect(answer.statusLine).toBe('HTTP/1.1 204 No Content');
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
  });

  it('refuses --respond without --forward, and a --respond-timeout out of range', async () => {
    const alone = cli(['tail', 'respond-x', '--server', server.url, '--respond']);
    expect(await alone.exit).toBe(2);
    expect(alone.stderr()).toContain('--respond needs --forward <url>');
    const long = respond(server.url, 'respond-x', 'http://127.0.0.1:9/', '--respond-timeout', '5m');
    expect(await long.exit).toBe(2);
    expect(long.stderr()).toContain('--respond-timeout 5m is out of range');
  });
});

describe.runIf(hasPostgres)('umhooks tail --respond across two instances on PostgreSQL', () => {
  const schema = uniqueSchema('umhooks_respond');
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestServer({ store: storeUrl(schema) }),
      startTestServer({ store: storeUrl(schema) }),
    ]);
    cleanups.push(() => dropSchemas([schema]));
    cleanups.push(() => Promise.all([a.close(), b.close()]));
  });

  it("answers a request captured on A with the app's answer through a forwarder on B", async () => {
    await configuredBin(a, 'respond-pair');
    const app = await receiver(() => ({
      status: 200,
      headers: { 'x-from-app': 'yes', 'content-type': 'text/plain' },
      body: 'answered by the app',
    }));
    const tail = respond(b.url, 'respond-pair', app.url);
    await tail.until('stderr', /Answering for the bin/);

    const answer = await post(a.url, '/b/respond-pair', Buffer.from('{"via":"a"}'));
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(header(answer, 'x-from-app')).toBe('yes');
    expect(answer.body.toString()).toBe('answered by the app');
    expect(app.received.map((r) => r.body.toString())).toEqual(['{"via":"a"}']);
    const id = header(answer, 'x-request-id')!;
    expect((await requestOn(a.url, 'respond-pair', id)).forward).toMatchObject({
      outcome: 'answered',
      status: 200,
    });

    // The claim is the bin's across instances: a forwarder on A is refused while B's runs.
    const second = respond(a.url, 'respond-pair', app.url);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain('Another forwarder already answers for bin "respond-pair"');

    // B's forwarder stops: A answers as configured again.
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
    let after: WireAnswer | undefined;
    // A sees the release over the bus (asynchronously): until then it may still hold a request.
    for (let i = 0; i < 50; i++) {
      after = await post(a.url, '/b/respond-pair', Buffer.from('{}'));
      if (after.statusLine === 'HTTP/1.1 202 Accepted') break;
    }
    expect(after!.body.toString()).toBe('configured');
  });
});
