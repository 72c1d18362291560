import { execFile, execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import type http from 'node:http';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  buildRequest,
  createDeliveryAgent,
  deliver,
  generateSecret,
  isPrivateAddress,
  type Attempt,
  type DeliverOptions,
} from '../../core/src/index.js';
import { startReceiver, type Received, type Receiver } from '../support/receiver.js';
import { commandWorks, need } from '../support/requirements.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureText = fs.readFileSync(path.join(here, '../fixtures/events.json'), 'utf8');
const fixture = JSON.parse(fixtureText) as {
  events: Array<{ id: string; payload_example: Record<string, unknown> }>;
};
const coreVersion = (
  JSON.parse(fs.readFileSync(path.join(here, '../../core/package.json'), 'utf8')) as {
    version: string;
  }
).version;

// ------------------------------------------------------------------ real servers on 127.0.0.1

type Captured = Received;

interface TestServer {
  url: string;
  port: number;
  requests: Captured[];
  server: http.Server;
}

const receivers: Receiver[] = [];
const cleanups: Array<() => void> = [];

/** The shared stub receiver; `respond` gets the request, the response and what was recorded. */
async function startServer(
  respond: (req: http.IncomingMessage, res: http.ServerResponse, captured: Captured) => void = (
    _q,
    res,
  ) => res.end('ok'),
): Promise<TestServer> {
  const receiver = await startReceiver((captured, res) => respond(res.req, res, captured));
  receivers.push(receiver);
  return {
    url: receiver.url,
    port: receiver.port,
    requests: receiver.received,
    server: receiver.server,
  };
}

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const payload = fixture.events.find((event) => event.id === 'payment_received')!.payload_example;

function header(attempt: Attempt, name: string): string | undefined {
  return attempt.request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

// ------------------------------------------------------------------ the plugin profile on the wire

const hasPhp = need('php', commandWorks('php', ['-v']), 'apt-get install php-cli');
const hasCurl = need('curl', commandWorks('curl', ['--version']), 'apt-get install curl');

describe('plugin profile: what Ultimate Multisite sends', () => {
  it('sends exactly the recorded request: header lines in order and case, and the body bytes', async () => {
    const server = await startServer();
    const attempt = await deliver(`${server.url}/hook?x=1`, payload, { profile: 'plugin' });
    expect(attempt.error).toBeUndefined();
    expect(attempt.status).toBe(200);
    const [received] = server.requests;
    expect(received!.method).toBe('POST');
    expect(received!.url).toBe('/hook?x=1');
    expect(received!.httpVersion).toBe('1.1'); // WordPress's cURL transport uses HTTP/1.1 too
    expect(received!.headers).toEqual(attempt.request.headers);
    expect(received!.body.toString('utf8')).toBe(attempt.request.body);
    // WordPress's list (Requests over cURL), checked against real WordPress in tests/e2e.
    expect(received!.headers).toEqual([
      ['Host', `127.0.0.1:${server.port}`],
      ['User-Agent', 'WordPress/6.8.3; http://localhost'],
      ['Accept', '*/*'],
      ['Accept-Encoding', 'deflate, gzip, br, zstd'],
      ['Referer', `${server.url}/hook?x=1`],
      ['Content-Type', 'application/json'],
      ['Connection', 'close'],
      ['Content-Length', String(received!.body.length)],
    ]);
    // No signature, id or event header: the plugin sends none.
    expect(received!.headers.map(([name]) => name.toLowerCase())).not.toContain(
      'webhook-signature',
    );
  });

  it('uses the configured WordPress version and site URL in the User-Agent', async () => {
    const server = await startServer();
    const attempt = await deliver(server.url, payload, {
      profile: 'plugin',
      wpVersion: '6.7.1',
      siteUrl: 'https://network.example.com',
    });
    expect(header(attempt, 'user-agent')).toBe('WordPress/6.7.1; https://network.example.com');
    expect(server.requests[0]!.headers).toContainEqual([
      'User-Agent',
      'WordPress/6.7.1; https://network.example.com',
    ]);
  });

  it.runIf(hasCurl)(
    'matches libcurl driven with the options WordPress Requests sets, header by header',
    async () => {
      const server = await startServer();
      const body = buildRequest(server.url, payload, { profile: 'plugin' }).body;
      const bodyFile = path.join(
        fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-curl-')),
        'body.json',
      );
      fs.writeFileSync(bodyFile, body);
      cleanups.push(() => fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true }));
      // Requests' Curl::setup_handle(): CURLOPT_ENCODING '' (--compressed), CURLOPT_USERAGENT,
      // CURLOPT_HTTPHEADER ['Content-Type: application/json', 'Connection: close', 'Expect: '],
      // CURLOPT_REFERER (the URL), CURLOPT_POST + CURLOPT_POSTFIELDS, HTTP/1.1.
      // Asynchronous: the server answering curl runs in this process.
      await promisify(execFile)('curl', [
        '-s',
        '-o',
        '/dev/null',
        '--http1.1',
        '--compressed',
        '-A',
        'WordPress/6.8.3; http://localhost',
        '-H',
        'Content-Type: application/json',
        '-H',
        'Connection: close',
        '-H',
        'Expect: ',
        '--referer',
        `${server.url}/hook`,
        '--data-binary',
        `@${bodyFile}`,
        `${server.url}/hook`,
      ]);
      await deliver(`${server.url}/hook`, payload, { profile: 'plugin' });
      const [curl, ours] = server.requests;
      // The same lines: names, case, order and values (curl's own Referer is --referer's).
      expect(ours!.headers).toEqual(curl!.headers);
      expect(ours!.body.equals(curl!.body)).toBe(true);
      expect(ours!.httpVersion).toBe(curl!.httpVersion);
    },
  );

  it.runIf(hasPhp)(
    'posts every fixture payload byte for byte as PHP json_encode writes it',
    async () => {
      const server = await startServer();
      const script =
        '$d = json_decode(file_get_contents("php://stdin"), true, 512, JSON_THROW_ON_ERROR);' +
        'foreach ($d["events"] as $e) { echo json_encode($e["payload_example"]), "\\n"; }';
      const expected = execFileSync('php', ['-r', script], { input: fixtureText })
        .toString('utf8')
        .split('\n');
      for (const [index, event] of fixture.events.entries()) {
        const attempt = await deliver(server.url, event.payload_example, {
          profile: 'plugin',
          eventId: event.id,
        });
        expect(attempt.status, event.id).toBe(200);
        expect(server.requests[index]!.body.toString('utf8'), event.id).toBe(expected[index]);
      }
      expect(server.requests).toHaveLength(fixture.events.length);
    },
  );

  it.runIf(hasPhp)("sets wu_version the way `$payload['wu_version'] = …` does", async () => {
    const server = await startServer();
    const { wu_version: _dropped, ...withoutVersion } = payload;
    const php = (version: string, data: unknown) =>
      execFileSync(
        'php',
        [
          '-r',
          `$d = json_decode(file_get_contents("php://stdin"), true); $d["wu_version"] = "${version}"; echo json_encode($d);`,
        ],
        { input: JSON.stringify(data) },
      ).toString('utf8');
    await deliver(server.url, withoutVersion, { profile: 'plugin' }); // appended, default 2.4.12
    await deliver(server.url, payload, { profile: 'plugin', wuVersion: '2.5.0' }); // replaced in place
    expect(server.requests[0]!.body.toString('utf8')).toBe(php('2.4.12', withoutVersion));
    expect(server.requests[1]!.body.toString('utf8')).toBe(php('2.5.0', payload));
  });

  it('sends Expect: 100-Continue from 1 MiB on and the body after the 100, like Requests over cURL', async () => {
    const server = await startServer();
    const big = { ...payload, filler: 'x'.repeat(1024 * 1024) };
    const started = performance.now();
    const attempt = await deliver(server.url, big, { profile: 'plugin' });
    expect(attempt.status).toBe(200);
    const [received] = server.requests;
    expect(received!.headers.map(([name]) => name)).toEqual([
      'Host',
      'User-Agent',
      'Accept',
      'Accept-Encoding',
      'Referer',
      'Content-Type',
      'Connection',
      'Expect',
      'Content-Length',
    ]);
    expect(received!.headers).toContainEqual(['Expect', '100-Continue']);
    expect(received!.body.toString('utf8')).toBe(attempt.request.body);
    // node:http answers `100 Continue` at once, so the body did not wait for cURL's 1 s fallback.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('opens a new connection per delivery (Connection: close), like a fresh cURL handle', async () => {
    const server = await startServer();
    await deliver(server.url, payload, { profile: 'plugin' });
    await deliver(server.url, payload, { profile: 'plugin' });
    expect(server.requests[0]!.remotePort).not.toBe(server.requests[1]!.remotePort);
  });
});

describe('plugin profile: redirects as WordPress follows them', () => {
  it('follows a 302 as GET with the same headers and body, and records the hop', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/start') res.writeHead(302, { Location: '/final' }).end();
      else res.end('landed');
    });
    const attempt = await deliver(`${server.url}/start`, payload, { profile: 'plugin' });
    expect(attempt.status).toBe(200);
    expect(attempt.responseBody).toBe('landed');
    expect(attempt.redirects).toEqual([
      { method: 'POST', url: `${server.url}/start`, status: 302, location: `${server.url}/final` },
    ]);
    expect(attempt.finalUrl).toBe(`${server.url}/final`);
    const [first, second] = server.requests;
    expect([first!.method, second!.method]).toEqual(['POST', 'GET']);
    expect(second!.body.equals(first!.body)).toBe(true); // cURL keeps POSTFIELDS on the GET
    // Requests points Referer at each hop's own URL; every other line is re-sent unchanged.
    const referer = (hop: Captured) => hop.headers.find(([name]) => name === 'Referer')?.[1];
    expect([referer(first!), referer(second!)]).toEqual([
      `${server.url}/start`,
      `${server.url}/final`,
    ]);
    const others = (hop: Captured) => hop.headers.filter(([name]) => name !== 'Referer');
    expect(others(second!)).toEqual(others(first!));
  });

  it('keeps POST through a 307', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/a')
        res.writeHead(307, { Location: `http://127.0.0.1:${req.socket.localPort}/b` }).end();
      else res.end('ok');
    });
    const attempt = await deliver(`${server.url}/a`, payload, { profile: 'plugin' });
    expect(attempt.status).toBe(200);
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
  });

  it('stops after 5 redirects with a redirect error, like Requests ("Too many redirects")', async () => {
    const server = await startServer((req, res) => {
      const n = Number(req.url!.slice(1));
      res.writeHead(301, { Location: `/${n + 1}` }).end();
    });
    const attempt = await deliver(`${server.url}/0`, payload, { profile: 'plugin' });
    expect(server.requests).toHaveLength(6);
    expect(attempt.redirects).toHaveLength(5);
    expect(attempt.status).toBe(301);
    expect(attempt.error?.kind).toBe('redirect');
    expect(attempt.error?.message).toMatch(/Too many redirects/);
  });

  it('does not follow a redirect to a non-HTTP scheme', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(302, { Location: 'ftp://example.invalid/x' }).end(),
    );
    const attempt = await deliver(server.url, payload, { profile: 'plugin' });
    expect(server.requests).toHaveLength(1);
    expect(attempt.error?.kind).toBe('redirect');
    expect(attempt.error?.message).toMatch(/only HTTP\(S\)/);
  });
});

// ------------------------------------------------------------------ the standard profile

describe('standard profile: signed, pooled, never redirected', () => {
  it('sends a Standard Webhooks message that standardwebhooks verifies from the received bytes', async () => {
    const server = await startServer();
    const secret = generateSecret();
    const attempt = await deliver(server.url, payload, {
      profile: 'standard',
      secret,
      messageId: 'msg_fixed_1',
    });
    expect(attempt.status).toBe(200);
    const received = server.requests[0]!;
    expect(received.headers).toEqual(attempt.request.headers);
    expect(received.body.toString('utf8')).toBe(attempt.request.body);
    const headers = Object.fromEntries(received.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['webhook-id']).toBe('msg_fixed_1');
    expect(headers['user-agent']).toBe(`umhooks/${coreVersion}`);
    expect(headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // Same flat data as the plugin sends (wu_version kept), as ordinary JSON.
    expect(new StandardWebhook(secret).verify(received.body.toString('utf8'), headers)).toEqual(
      payload,
    );
    expect(received.body.toString('utf8')).toBe(JSON.stringify(payload));
  });

  it('generates a msg_ id when none is given, and refuses to send without a secret', async () => {
    const request = buildRequest('http://127.0.0.1:9/x', payload, {
      profile: 'standard',
      secret: generateSecret(),
    });
    expect(request.headers.find(([name]) => name === 'webhook-id')?.[1]).toMatch(
      /^msg_[A-Za-z0-9_-]{24}$/,
    );
    await expect(deliver('http://127.0.0.1:9/x', payload, { profile: 'standard' })).rejects.toThrow(
      /standard profile signs every message/,
    );
  });

  it('reuses keep-alive connections across deliveries', async () => {
    const server = await startServer();
    const dispatcher = createDeliveryAgent();
    cleanups.push(() => void dispatcher.close());
    const secret = generateSecret();
    for (let i = 0; i < 6; i++) {
      expect(
        (await deliver(server.url, payload, { profile: 'standard', secret, dispatcher })).status,
      ).toBe(200);
    }
    // undici's pool may alternate between two sockets for back-to-back requests; it never
    // opens one per delivery (the plugin profile does, see above).
    expect(new Set(server.requests.map((request) => request.remotePort)).size).toBeLessThanOrEqual(
      2,
    );
  });

  it('does not follow redirects: a 3xx is the answer', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(302, { Location: '/elsewhere' }).end(),
    );
    const attempt = await deliver(server.url, payload, {
      profile: 'standard',
      secret: generateSecret(),
    });
    expect(attempt.status).toBe(302);
    expect(attempt.redirects).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

// ------------------------------------------------------------------ responses

describe('the attempt record', () => {
  it('records status, response headers in order, body and timing', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('X-First', '1');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('{"ok":true}');
    });
    const before = Date.now();
    const attempt = await deliver(server.url, payload, { profile: 'plugin' });
    expect(attempt.status).toBe(200);
    expect(attempt.responseBody).toBe('{"ok":true}');
    expect(attempt.responseTruncated).toBe(false);
    const names = attempt.responseHeaders!.map(([name]) => name);
    expect(names.slice(0, 3)).toEqual(['X-First', 'Set-Cookie', 'Set-Cookie']);
    expect(attempt.responseHeaders).toContainEqual(['Set-Cookie', 'b=2']);
    expect(Date.parse(attempt.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(attempt.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  });

  it.each([500, 410, 404])('records HTTP %i as a status, not an error', async (status) => {
    const server = await startServer((_req, res) => res.writeHead(status).end('nope'));
    const attempt = await deliver(server.url, payload, { profile: 'plugin' });
    expect(attempt.status).toBe(status);
    expect(attempt.responseBody).toBe('nope');
    expect(attempt.error).toBeUndefined();
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const server = await startServer((req, res) =>
      res.writeHead(429, { 'Retry-After': req.url === '/seconds' ? '120' : inAMinute }).end(),
    );
    const seconds = await deliver(`${server.url}/seconds`, payload, { profile: 'plugin' });
    expect(seconds.status).toBe(429);
    expect(seconds.retryAfterMs).toBe(120_000);
    const dated = await deliver(`${server.url}/date`, payload, { profile: 'plugin' });
    expect(dated.retryAfterMs).toBeGreaterThan(55_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps at most maxResponseBytes of a huge body and stops reading it', async () => {
    let written = 0;
    const total = 256 * 1024 * 1024;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const attempt = await deliver(server.url, payload, {
      profile: 'plugin',
      maxResponseBytes: 1000,
    });
    expect(attempt.status).toBe(200);
    expect(attempt.responseTruncated).toBe(true);
    expect(Buffer.byteLength(attempt.responseBody!)).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(total / 4); // the client hung up long before the end
  });

  it('never splits a UTF-8 character at the excerpt bound', async () => {
    const server = await startServer((_req, res) => res.end('€'.repeat(100))); // 3 bytes each
    const attempt = await deliver(server.url, payload, { profile: 'plugin', maxResponseBytes: 10 });
    expect(attempt.responseBody).toBe('€€€');
    expect(attempt.responseTruncated).toBe(true);
  });

  it('decodes gzip and br responses (the plugin profile advertises them) and bounds a gzip bomb', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024)); // 20 MiB of zeros, ~20 KiB on the wire
    const server = await startServer((req, res) => {
      if (req.url === '/gzip')
        res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(zlib.gzipSync('{"hi":"gz"}'));
      else if (req.url === '/br')
        res
          .writeHead(200, { 'Content-Encoding': 'br' })
          .end(zlib.brotliCompressSync('brotli body'));
      else if (req.url === '/fake')
        res.writeHead(200, { 'Content-Encoding': 'gzip' }).end('not gzip at all');
      else res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bomb);
    });
    expect((await deliver(`${server.url}/gzip`, payload, { profile: 'plugin' })).responseBody).toBe(
      '{"hi":"gz"}',
    );
    expect((await deliver(`${server.url}/br`, payload, { profile: 'plugin' })).responseBody).toBe(
      'brotli body',
    );
    expect((await deliver(`${server.url}/fake`, payload, { profile: 'plugin' })).responseBody).toBe(
      'not gzip at all',
    );
    const bombed = await deliver(`${server.url}/bomb`, payload, {
      profile: 'plugin',
      maxResponseBytes: 4096,
    });
    expect(bombed.responseTruncated).toBe(true);
    expect(bombed.responseBody).toHaveLength(4096);
  });
});

// ------------------------------------------------------------------ failures become attempts

describe('network failures are attempts with an error kind, never exceptions', () => {
  it('times out on a server that never answers', async () => {
    const server = await startServer(() => undefined); // reads the request, never responds
    const attempt = await deliver(server.url, payload, { profile: 'plugin', timeoutMs: 300 });
    expect(attempt.status).toBeUndefined();
    expect(attempt.error?.kind).toBe('timeout');
    expect(server.requests).toHaveLength(1);
  });

  it('times out when headers arrive but the body stalls, keeping the status', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
    });
    const attempt = await deliver(server.url, payload, { profile: 'plugin', timeoutMs: 300 });
    expect(attempt.status).toBe(200);
    expect(attempt.responseBody).toBe('partial');
    expect(attempt.error?.kind).toBe('timeout');
  });

  it('reports a closed port as refused', async () => {
    const server = await startServer();
    const port = server.port;
    await new Promise<void>((resolve) => server.server.close(() => resolve()));
    const attempt = await deliver(`http://127.0.0.1:${port}/`, payload, { profile: 'plugin' });
    expect(attempt.error?.kind).toBe('refused');
    expect(attempt.error?.code).toBe('ECONNREFUSED');
  });

  it('reports a connection dropped mid-request as reset', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const attempt = await deliver(server.url, payload, { profile: 'plugin' });
    expect(attempt.error?.kind).toBe('reset');
  });

  it('reports HTTPS to a plain HTTP server as a TLS failure', async () => {
    const server = await startServer();
    const attempt = await deliver(`https://127.0.0.1:${server.port}/`, payload, {
      profile: 'plugin',
    });
    expect(attempt.error?.kind).toBe('tls');
  });

  it('reports oversized response headers as too-large', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(200, { 'X-Huge': 'a'.repeat(100_000) }).end(),
    );
    const attempt = await deliver(server.url, payload, { profile: 'plugin' });
    expect(attempt.error?.kind).toBe('too-large');
  });

  it.each(['ftp://example.com/x', 'not a url', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'refuses %s as invalid-url without sending anything',
    async (target) => {
      const attempt = await deliver(target, payload, { profile: 'plugin' });
      expect(attempt.error?.kind).toBe('invalid-url');
      expect(attempt.request.body).toContain('"wu_version":"2.4.12"');
    },
  );

  it('stops when the caller aborts', async () => {
    const server = await startServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const attempt = await deliver(server.url, payload, {
      profile: 'plugin',
      signal: controller.signal,
    });
    expect(attempt.error).toMatchObject({ kind: 'other', message: 'Aborted by the caller.' });
  });
});

// ------------------------------------------------------------------ DNS, on a DNS server of our own

/** A DNS server on 127.0.0.1 answering A queries from `zone` and NXDOMAIN for anything else. */
async function startDns(
  zone: Record<string, string[]>,
): Promise<{ lookup: LookupFunction; queries: string[] }> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset]) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]!).toString('ascii'));
      offset += query[offset]! + 1;
    }
    const questionEnd = offset + 5;
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(offset + 1);
    queries.push(name);
    const known = zone[name];
    const answers = type === 1 && known ? known : [];
    const head = Buffer.alloc(12);
    query.copy(head, 0, 0, 2); // same id
    head.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // response, recursion; NXDOMAIN when unknown
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answers.length, 6);
    const records = answers.map((ip) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question name
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(4, 10);
      ip.split('.').forEach((part, index) => record.writeUInt8(Number(part), 12 + index));
      return record;
    });
    socket.send(
      Buffer.concat([head, query.subarray(12, questionEnd), ...records]),
      peer.port,
      peer.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${socket.address().port}`]);
  const lookup = ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (...args: unknown[]) => void,
  ) => {
    resolver.resolve4(hostname, (error, addresses) => {
      if (error) return callback(error);
      if (options.all)
        return callback(
          null,
          addresses.map((address) => ({ address, family: 4 })),
        );
      callback(null, addresses[0], 4);
    });
  }) as unknown as LookupFunction;
  return { lookup, queries };
}

/** The plugin profile takes a lookup (node:http); the standard one a dispatcher (undici). */
function resolving(
  profile: 'plugin' | 'standard',
  lookup: LookupFunction,
  blockPrivateNetworks = false,
): DeliverOptions {
  if (profile === 'plugin') return { profile, lookup, blockPrivateNetworks };
  const dispatcher = createDeliveryAgent({ lookup, blockPrivateNetworks });
  cleanups.push(() => void dispatcher.close());
  return { profile, secret: generateSecret(), dispatcher };
}

describe('name resolution (through a DNS server on 127.0.0.1, no traffic leaves the machine)', () => {
  it.each(['plugin', 'standard'] as const)(
    '%s profile: reports a name that does not exist as a dns error',
    async (profile) => {
      const dnsServer = await startDns({});
      const attempt = await deliver(
        'http://no-such-host.invalid/hook',
        payload,
        resolving(profile, dnsServer.lookup),
      );
      expect(attempt.error?.kind).toBe('dns');
      expect(attempt.error?.code).toBe('ENOTFOUND');
      expect(dnsServer.queries).toContain('no-such-host.invalid');
    },
  );

  it.each(['plugin', 'standard'] as const)(
    '%s profile: connects by name when resolution succeeds (control for the tests below)',
    async (profile) => {
      const server = await startServer();
      const dnsServer = await startDns({ 'hooks.test': ['127.0.0.1'] });
      const attempt = await deliver(
        `http://hooks.test:${server.port}/x`,
        payload,
        resolving(profile, dnsServer.lookup),
      );
      expect(attempt.status).toBe(200);
      expect(server.requests[0]!.headers[0]).toEqual([
        profile === 'plugin' ? 'Host' : 'host',
        `hooks.test:${server.port}`,
      ]);
    },
  );

  it('refuses a dispatcher for the plugin profile (it would not be used)', async () => {
    const dispatcher = createDeliveryAgent({ blockPrivateNetworks: true });
    cleanups.push(() => void dispatcher.close());
    await expect(
      deliver('http://127.0.0.1:9/x', payload, { profile: 'plugin', dispatcher }),
    ).rejects.toThrow(/takes no dispatcher/);
  });
});

// ------------------------------------------------------------------ SSRF guard

describe('blockPrivateNetworks', () => {
  it('is off by default: a developer tool reaches localhost', async () => {
    const server = await startServer();
    expect((await deliver(server.url, payload, { profile: 'plugin' })).status).toBe(200);
  });

  it.each(
    ['127.0.0.1', '[::ffff:127.0.0.1]', '0.0.0.0', '[::1]'].flatMap((host) =>
      (['plugin', 'standard'] as const).map((profile) => [host, profile] as const),
    ),
  )('refuses the literal address %s (%s profile)', async (host, profile) => {
    const server = await startServer();
    const attempt = await deliver(`http://${host}:${server.port}/`, payload, {
      profile,
      secret: generateSecret(),
      blockPrivateNetworks: true,
    });
    expect(attempt.error?.kind).toBe('blocked');
    expect(attempt.error?.message).toMatch(/blockPrivateNetworks/);
    expect(server.requests).toHaveLength(0);
  });

  it.each(['plugin', 'standard'] as const)(
    '%s profile: refuses a name when any resolved address is private, checked at connect',
    async (profile) => {
      const server = await startServer();
      const dnsServer = await startDns({
        'loopback.test': ['127.0.0.1'],
        // A public record next to a private one. The private one comes first and is our own
        // server, so that even a broken guard would not send traffic off this machine.
        'mixed.test': ['127.0.0.1', '198.51.100.7'],
      });
      for (const name of ['loopback.test', 'mixed.test']) {
        const attempt = await deliver(
          `http://${name}:${server.port}/`,
          payload,
          resolving(profile, dnsServer.lookup, true),
        );
        expect(attempt.error?.kind, name).toBe('blocked');
        expect(attempt.error?.message).toContain(name);
      }
      expect(server.requests).toHaveLength(0);
      expect(dnsServer.queries).toEqual(expect.arrayContaining(['loopback.test', 'mixed.test']));
    },
  );

  it('refuses localhost through the shared guarded pool (system resolver, /etc/hosts)', async () => {
    const server = await startServer();
    const attempt = await deliver(`http://localhost:${server.port}/`, payload, {
      profile: 'plugin',
      blockPrivateNetworks: true,
    });
    expect(attempt.error?.kind).toBe('blocked');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.16.5.4', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['93.184.215.14', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['64:ff9b::a00:1', true],
    ['64:ff9b:1::a00:1', true],
    ['192.0.2.1', true],
    ['198.51.100.7', true],
    ['203.0.113.9', true],
    ['2001:db8::1', true],
    ['2002:a00:1::1', true],
    ['2001:0:4136:e378::1', true],
    ['::7f00:1', true],
    ['::ffff:169.254.169.254', true],
    ['not-an-ip', false],
  ])('classifies %s as private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
