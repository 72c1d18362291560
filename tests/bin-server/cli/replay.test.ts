import { execFile } from 'node:child_process';
import { catalog, generateSecret } from '@umhooks/core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { send } from '../../support/http-client.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { cliPath, startTestServer } from '../../support/server.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const { UMHOOKS_SERVER: _server, UMHOOKS_TOKEN: _token, ...cleanEnv } = process.env;

/** Runs the built CLI (the in-process server keeps answering while it runs). */
function umhooks(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { ...cleanEnv, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

let server: RunningServer;
let app: Receiver;
beforeAll(async () => {
  server = await startTestServer();
  app = await startReceiver((request) => ({ status: request.url.includes('fail') ? 503 : 204 }));
});
afterAll(async () => {
  await app.close();
  await server.close();
});

async function createBin(id: string): Promise<void> {
  const res = await fetch(`${server.url}/api/bins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  expect(res.status).toBe(201);
}

/** Posts to a bin; resolves to the captured request id. */
async function capture(
  bin: string,
  path: string,
  body: string | Buffer,
  headers: Array<[string, string]> = [],
): Promise<string> {
  const reply = await send(server.url, `/b/${bin}${path}`, {
    headers: [
      ['Host', new URL(server.url).host],
      ...headers,
      ['Content-Length', String(Buffer.byteLength(body))],
    ],
    body,
  });
  expect(reply.status).toBe(200);
  return String(reply.headers['x-request-id']);
}

// Each case runs the CLI several times (a Node start-up each): slow on a busy machine.
const SLOW = { timeout: 120_000 };

describe('umhooks replay <request>', () => {
  it(
    'sends the captured request from this machine: the signature verifies at the target',
    SLOW,
    async () => {
      await createBin('cli-one');
      const secret = generateSecret();
      const body = '{"payment_id":7,"total":"29.90"}';
      const timestamp = new Date();
      const headers: Array<[string, string]> = [
        ['Content-Type', 'application/json'],
        ['X-Dup', 'a'],
        ['x-dup', 'b'],
        ['webhook-id', 'msg_cli'],
        ['webhook-timestamp', String(Math.floor(timestamp.getTime() / 1000))],
        ['webhook-signature', new StandardWebhook(secret).sign('msg_cli', timestamp, body)],
      ];
      const id = await capture('cli-one', '/orders?x=1', body, headers);
      const before = app.received.length;

      // A bare request id (every bin is searched) and the UI's URL of the request.
      const bare = await umhooks([
        'replay',
        id,
        '--to',
        `${app.url}/hooks`,
        '--server',
        server.url,
      ]);
      expect(bare, bare.stderr).toMatchObject({ code: 0 });
      expect(bare.stdout).toMatch(
        new RegExp(`POST /orders\\?x=1 → ${app.url}/hooks/orders\\?x=1: 204 \\(\\d+ ms\\)`),
      );
      const viaUi = await umhooks([
        'replay',
        `${server.url}/#/bins/cli-one/${id}`,
        '--to',
        app.url,
      ]);
      expect(viaUi, viaUi.stderr).toMatchObject({ code: 0 });

      const [first, second] = app.received.slice(before);
      expect(first!.url).toBe('/hooks/orders?x=1');
      expect(second!.url).toBe('/orders?x=1');
      expect(first!.body.toString()).toBe(body);
      expect(first!.headers).toEqual([
        ['Host', `127.0.0.1:${app.port}`],
        ...headers,
        ['Content-Length', String(body.length)],
        ['Connection', 'close'],
      ]);
      const received = Object.fromEntries(first!.headers.map(([k, v]) => [k.toLowerCase(), v]));
      expect(new StandardWebhook(secret).verify(first!.body.toString(), received)).toEqual(
        JSON.parse(body),
      );
      // The CLI replays from the user's machine: nothing is recorded on the server.
      const stored = await fetch(`${server.url}/api/bins/cli-one/requests/${id}/replays`);
      expect(((await stored.json()) as { items: unknown[] }).items).toEqual([]);
    },
  );

  it(
    'says clearly what is wrong: unknown request, unreachable target, no server, bad input',
    SLOW,
    async () => {
      await createBin('cli-errors');
      const id = await capture('cli-errors', '/', 'x');

      const unknown = await umhooks([
        'replay',
        'req_doesnotexist00000000',
        '--to',
        app.url,
        '--server',
        server.url,
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no request "req_doesnotexist00000000" in any bin');
      const inBin = await umhooks([
        'replay',
        `${server.url}/api/bins/cli-errors/requests/req_doesnotexist00000000`,
        '--to',
        app.url,
      ]);
      expect(inBin.stderr).toContain('no request "req_doesnotexist00000000" in bin "cli-errors"');
      const noBin = await umhooks([
        'replay',
        'no-such-bin',
        '--to',
        app.url,
        '--server',
        server.url,
      ]);
      expect(noBin.code).toBe(1);
      expect(noBin.stderr).toContain('no bin "no-such-bin"');

      const closed = await startReceiver();
      await closed.close();
      const down = await umhooks(['replay', id, '--to', closed.url, '--server', server.url]);
      expect(down.code).toBe(1);
      expect(down.stdout).toMatch(
        /not sent: Could not connect \(refused or unreachable\).*ECONNREFUSED/,
      );

      const noServer = await umhooks(['replay', id, '--to', app.url, '--server', closed.url]);
      expect(noServer.code).toBe(1);
      expect(noServer.stderr).toContain(
        `cannot reach the umhooks server at ${closed.url} (ECONNREFUSED)`,
      );
      expect(noServer.stderr).toContain('umhooks serve');

      for (const [args, message] of [
        [[id, '--to', 'localhost:3000'], '--to localhost:3000 is not an http(s) URL'],
        [
          ['cli-errors', '--to', app.url, '--since', 'yesterday'],
          '--since yesterday is not a duration',
        ],
        [['cli-errors', '--to', app.url, '--limit', '0'], '--limit 0 is not a whole number'],
        [[id, '--to', app.url, '--event', 'x'], '--event selects requests of a bin'],
        [['bad id!', '--to', app.url], 'is not a bin id'],
      ] as Array<[string[], string]>) {
        const run = await umhooks(['replay', ...args, '--server', server.url]);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr).toContain(message);
      }
    },
  );

  it('documents itself with examples', SLOW, async () => {
    const help = await umhooks(['replay', '--help']);
    expect(help.stdout).toContain('--to <url>');
    expect(help.stdout).toMatch(
      /umhooks replay my-bin --to http:\/\/localhost:3000\/webhooks --since 1h/,
    );
    expect((await umhooks(['--help'])).stdout).toContain('replay');
  });
});

describe('umhooks replay <bin>', () => {
  it(
    'resends the matching requests in their original order, with a line each and a summary',
    SLOW,
    async () => {
      await createBin('cli-bulk');
      const event = catalog.find((e) => e.delivery === 'webhook') ?? catalog[0]!;
      const ids = [
        await capture('cli-bulk', '/one', 'first alpha'),
        await capture('cli-bulk', `/${event.id}`, JSON.stringify(event.sample), [
          ['Content-Type', 'application/json'],
        ]),
        await capture('cli-bulk', '/fail', 'third alpha'),
        await capture('cli-bulk', '/four', 'fourth beta'),
      ];
      expect(ids).toHaveLength(4);

      let before = app.received.length;
      const all = await umhooks(['replay', 'cli-bulk', '--to', app.url, '--server', server.url]);
      expect(all, all.stderr).toMatchObject({ code: 0 });
      expect(app.received.slice(before).map((r) => r.url)).toEqual([
        '/one',
        `/${event.id}`,
        '/fail',
        '/four',
      ]);
      expect(all.stderr).toContain('Replaying 4 requests of bin "cli-bulk"');
      expect(all.stdout).toMatch(/\[1\/4\] POST \/one → 204 \(\d+ ms\)/);
      expect(all.stdout).toMatch(/\[3\/4\] POST \/fail → 503 \(\d+ ms\)/);
      expect(all.stdout).toContain('Sent 4 of 4 (3 × 204, 1 × 503); 0 failed.');

      // Filters: text, event, the newest n, and a time window.
      const urls = async (args: string[]) => {
        before = app.received.length;
        const run = await umhooks([
          'replay',
          'cli-bulk',
          '--to',
          app.url,
          '--server',
          server.url,
          ...args,
        ]);
        expect(run.code, run.stderr).toBe(0);
        return app.received.slice(before).map((r) => r.url);
      };
      expect(await urls(['--query', 'alpha'])).toEqual(['/one', '/fail']);
      expect(await urls(['--event', event.id])).toEqual([`/${event.id}`]);
      expect(await urls(['--limit', '2'])).toEqual(['/fail', '/four']);
      expect(await urls(['--since', '1h', '--query', 'beta'])).toEqual(['/four']);
      expect(await urls(['--since', '2999-01-01'])).toEqual([]);

      // A target that is down: every request fails, the summary says so, the exit code is 1.
      const closed = await startReceiver();
      await closed.close();
      const down = await umhooks([
        'replay',
        'cli-bulk',
        '--to',
        closed.url,
        '--server',
        server.url,
        '--limit',
        '2',
      ]);
      expect(down.code).toBe(1);
      expect(down.stdout).toContain('Sent 0 of 2; 2 failed.');
    },
  );
});
