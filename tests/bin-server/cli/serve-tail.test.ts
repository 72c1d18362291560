import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { generateSecret, sign, verify } from '@umhooks/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type { RequestSummaryJson } from '../../../bin-server/src/wire/request.js';
import {
  cliPath,
  spawnServer,
  startTestServer,
  tempDir,
  type SpawnedServer,
} from '../../support/server.js';
import { send } from '../../support/http-client.js';
import { startReceiver } from '../../support/receiver.js';

const run = promisify(execFile);
const dir = tempDir('umhooks-cli-');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SpawnedServer> {
  const server = await spawnServer(args, env);
  cleanups.push(() => server.kill());
  return server;
}

/** Waits until the server printed its start-up block (the UI URL comes first, the rest just after). */
async function fullOutput(server: SpawnedServer, marker: RegExp): Promise<string> {
  for (let i = 0; i < 400 && !marker.test(server.output()); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  return server.output();
}

describe('umhooks --help', () => {
  it('documents every command with examples', async () => {
    const main = await run(process.execPath, [cliPath, '--help']);
    expect(main.stdout).toMatch(/Usage: umhooks/);
    expect(main.stdout).toMatch(/serve/);
    expect(main.stdout).toMatch(/tail/);

    const serveHelp = (await run(process.execPath, [cliPath, 'serve', '--help'])).stdout;
    for (const flag of [
      'host',
      'port',
      'data',
      'memory',
      'store',
      'body-limit',
      'max-requests',
      'ttl',
      'token',
      'trust-proxy',
      'public-url',
      'quiet',
    ]) {
      expect(serveHelp).toContain(`--${flag}`);
      expect(serveHelp).toContain(`UMHOOKS_${flag.toUpperCase().replace(/-/g, '_')}`);
    }
    expect(serveHelp).toMatch(/Examples:/);

    const tailHelp = (await run(process.execPath, [cliPath, 'tail', '--help'])).stdout;
    for (const flag of ['--server', '--token', '--body', '--json'])
      expect(tailHelp).toContain(flag);
    expect(tailHelp).toMatch(/Examples:/);
  });

  it('rejects bad settings with the flag named and exit code 2', async () => {
    const failed = await run(process.execPath, [
      cliPath,
      'serve',
      '--port',
      '0',
      '--body-limit',
      'lots',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/--body-limit: .*is not a size/);
  });

  it('names the flag, the value and the allowed range for a number that is not one', async () => {
    for (const [args, message] of [
      [['--port', 'abc'], '--port: "abc" is not a port: use a whole number from 0 to 65,535'],
      [['--port', '70000'], '--port: "70000" is not a port: use a whole number from 0 to 65,535'],
      [
        ['--max-requests', '1.5'],
        '--max-requests: "1.5" is not a request count: use a whole number from 1 to 1,000,000',
      ],
    ] as const) {
      const failed = await run(process.execPath, [cliPath, 'serve', ...args]).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed).toMatchObject({ code: 2 });
      expect((failed as { stderr: string }).stderr).toContain(message);
    }
  });
});

describe('umhooks serve', () => {
  it('prints the UI URL first, then a stable example bin URL that works', async () => {
    const file = path.join(dir, 'example.db');
    const first = await serve(['--data', file]);
    const output = await fullOutput(first, /Press Ctrl-C/);
    expect(output.split('\n')[0]).toBe(`umhooks is running: ${first.url}/`);
    const binUrl = /Capture URL\s+(\S+)/.exec(output)![1]!;
    expect(binUrl).toMatch(new RegExp(`^${first.url}/b/[A-Za-z0-9_-]{22}$`));
    const reply = await send(first.url, new URL(binUrl).pathname, { body: '{"hello":"world"}' });
    expect(reply.status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await serve(['--data', file]);
    const again = /Capture URL\s+(\S+)/.exec(await fullOutput(second, /Press Ctrl-C/))![1]!;
    expect(new URL(again).pathname).toBe(new URL(binUrl).pathname);
    expect(await second.stop()).toBe(0);
  });

  it('takes every setting from UMHOOKS_* environment variables, and flags win over them', async () => {
    const file = path.join(dir, 'from-env.db');
    const server = await serve(['--max-requests', '9'], {
      UMHOOKS_DATA: file,
      UMHOOKS_MAX_REQUESTS: '7',
      UMHOOKS_BODY_LIMIT: '1kb',
      UMHOOKS_TTL: '2h',
      UMHOOKS_MEMORY: '0',
      UMHOOKS_TOKEN: 'env-token-0123456789',
      UMHOOKS_PUBLIC_URL: 'https://hooks.example.test',
      UMHOOKS_TRUST_PROXY: 'false',
    });
    const output = await fullOutput(server, /Press Ctrl-C/);
    expect(output).toContain(`Data          ${file}`);
    expect(output).toContain('body 1 KiB, 9 requests per bin, bins expire after 2h unused');
    const binUrl = /Capture URL\s+(\S+)/.exec(output)![1]!;
    expect(binUrl).toMatch(/^https:\/\/hooks\.example\.test\/b\//);
    const binPath = new URL(binUrl).pathname;
    expect((await send(server.url, binPath, { body: 'x'.repeat(1025) })).status).toBe(413);
    expect((await send(server.url, binPath, { body: 'x'.repeat(1024) })).status).toBe(200);
    expect((await send(server.url, '/api/bins', { method: 'GET' })).status).toBe(401);
    expect(fs.existsSync(file)).toBe(true);
    expect(await server.stop()).toBe(0);
  });

  it('prints only the UI URL with --quiet (UMHOOKS_QUIET=1)', async () => {
    const server = await serve(['--memory'], { UMHOOKS_QUIET: '1' });
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output().trim()).toBe(`umhooks is running: ${server.url}/`);
    expect(await server.stop()).toBe(0);
  });

  it('on SIGTERM finishes the request in flight, flushes and exits 0', async () => {
    const file = path.join(dir, 'sigterm.db');
    const seed = openSqliteStore(file);
    await seed.bins.create({
      id: 'slow-answer',
      name: 's',
      // A long delay keeps the request in flight; shutdown cuts the wait short, not the request.
      response: { status: 202, headers: [['X-Done', 'yes']], body: 'accepted', delayMs: 30_000 },
      now: Date.now(),
    });
    await seed.close();
    const server = await serve(['--data', file]);
    const inFlight = send(server.url, '/b/slow-answer', { body: 'in flight at shutdown' });
    const reader = new Database(file, { readonly: true });
    const count = reader
      .prepare("SELECT count(*) FROM requests WHERE bin_id = 'slow-answer'")
      .pluck();
    while (count.get() === 0) await new Promise((r) => setTimeout(r, 20));
    reader.close();
    const exited = server.stop();
    const reply = await inFlight;
    expect(reply.status).toBe(202);
    expect(reply.headers['x-done']).toBe('yes');
    expect(await exited).toBe(0);
    expect(fs.existsSync(`${file}-wal`)).toBe(false); // checkpointed and closed cleanly
    const after = openSqliteStore(file);
    const page = await after.requests.list('slow-answer', { limit: 5, includeBody: true });
    expect(page.items.map((r) => Buffer.from(r.body!).toString())).toEqual([
      'in flight at shutdown',
    ]);
    await after.close();
  });
});

interface Tail {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  until(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string>;
  exit: Promise<number | null>;
}

function tail(args: string[], env: NodeJS.ProcessEnv = {}): Tail {
  const child = spawn(process.execPath, [cliPath, 'tail', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exit,
    async until(stream, pattern) {
      for (let i = 0; i < 400; i++) {
        const match = pattern.exec(out[stream]);
        if (match) return match[0];
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`tail never printed ${pattern} on ${stream}:\n${out.stdout}\n${out.stderr}`);
    },
  };
}

describe('umhooks tail', () => {
  let server: RunningServer;
  const ready = (async () => {
    server = await startTestServer();
    cleanups.push(() => server.close());
    await server.context.store.bins.create({ id: 'tail-bin', name: 't', now: Date.now() });
  })();

  it('prints a line for each request captured while it runs, and exits 0 on Ctrl-C', async () => {
    await ready;
    const t = tail([`${server.url}/b/tail-bin`]);
    await t.until('stderr', /Watching/);
    await send(server.url, '/b/tail-bin/orders/7?x=1', {
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    const line = await t.until('stdout', /.*orders\/7.*\n/);
    expect(line).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} {2}POST {5}\/orders\/7\?x=1 {2}7 B {2}application\/json {2}/,
    );
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(0);
  });

  it('prints JSON lines with --json', async () => {
    await ready;
    const t = tail(['tail-bin', '--server', server.url, '--json']);
    await t.until('stderr', /Watching/);
    const reply = await send(server.url, '/b/tail-bin/json', { body: 'x' });
    const line = await t.until('stdout', /\{.*\}\n/);
    const parsed = JSON.parse(line) as RequestSummaryJson;
    expect(parsed).toMatchObject({
      id: reply.headers['x-request-id'],
      bin_id: 'tail-bin',
      path: '/json',
    });
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
  });

  it('says clearly when the bin does not exist', async () => {
    await ready;
    const t = tail(['no-such-bin', '--server', server.url]);
    expect(await t.exit).toBe(1);
    expect(t.stderr()).toMatch(/no bin "no-such-bin"/);
  });

  it('says clearly when no server is running there', async () => {
    const gone = await startTestServer();
    const url = gone.url;
    await gone.close();
    const t = tail([`${url}/b/some-bin`]);
    expect(await t.exit).toBe(1);
    expect(t.stderr()).toMatch(/cannot reach the umhooks server at .*ECONNREFUSED.*umhooks serve/);
  });

  it('refuses something that is not a bin id or bin URL', async () => {
    const t = tail(['../etc/passwd']);
    expect(await t.exit).toBe(2);
    expect(t.stderr()).toMatch(/is not a bin id/);
  });

  it('needs the token when the server requires one', async () => {
    const guarded = await startTestServer({ token: 'tail-token-0123456789' });
    cleanups.push(() => guarded.close());
    await guarded.context.store.bins.create({ id: 'guarded', name: 'g', now: Date.now() });
    const refused = tail(['guarded', '--server', guarded.url]);
    expect(await refused.exit).toBe(1);
    expect(refused.stderr()).toMatch(/requires an access token/);
    const allowed = tail(['guarded', '--server', guarded.url], {
      UMHOOKS_TOKEN: 'tail-token-0123456789',
    });
    await allowed.until('stderr', /Watching/);
    allowed.child.kill('SIGINT');
    expect(await allowed.exit).toBe(0);
  });

  it('prints bodies with --body: text as is, binary as a hex preview', async () => {
    await ready;
    const t = tail(['tail-bin', '--server', server.url, '--body']);
    await t.until('stderr', /Watching/);
    await send(server.url, '/b/tail-bin/text', { body: 'hello body\nsecond line' });
    await t.until('stdout', / {4}hello body\n {4}second line\n/);
    await send(server.url, '/b/tail-bin/binary', {
      body: Buffer.from([0x00, 0xff, 0x41, 0x42, 0x10]),
    });
    await t.until('stdout', / {4}00000000 {2}00 ff 41 42 10 +\|\.\.AB\.\|/);
    // Captured bytes never reach the terminal as escape sequences.
    await send(server.url, '/b/tail-bin/escape', { body: 'title\u001b]0;pwned\u0007' });
    await t.until('stdout', / {4}title\\x1b\]0;pwned\\x07\n/);
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(0);
  });

  it('forwards each request with --forward: same method, headers and bytes, so a signature verifies', async () => {
    await ready;
    const app = await startReceiver((request) => ({
      status: request.url.includes('fail') ? 503 : 204,
      body: '',
    }));
    cleanups.push(() => app.close());
    const { received } = app;
    const appUrl = `${app.url}/hooks`;

    const t = tail([`${server.url}/b/tail-bin`, '--forward', appUrl]);
    await t.until('stderr', /Watching/);
    const secret = generateSecret();
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d]); // not UTF-8
    const timestamp = Math.floor(Date.now() / 1000);
    // End-to-end headers go through as captured: order, case, duplicates.
    const endToEnd: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['X-Dup', 'first'],
      ['x-dup', 'second'],
      ['webhook-id', 'msg_fwd'],
      ['webhook-timestamp', String(timestamp)],
      ['webhook-signature', sign({ secret, id: 'msg_fwd', timestamp, body })],
    ];
    const sent = await send(server.url, '/b/tail-bin/orders/7?x=1&x=2', {
      method: 'PUT',
      headers: [
        ['Host', new URL(server.url).host],
        ...endToEnd,
        ['Content-Length', String(body.length)],
        ['Connection', 'keep-alive, X-Hop'],
        ['X-Hop', 'not for the app'],
      ],
      body,
    });
    expect(sent.status, sent.body.toString()).toBe(200);
    await t.until(
      'stdout',
      /→ 204 from http:\/\/127\.0\.0\.1:\d+\/hooks\/orders\/7\?x=1&x=2 \(\d+ ms\)/,
    );
    const [got] = received;
    expect(got).toMatchObject({ method: 'PUT', url: '/hooks/orders/7?x=1&x=2' });
    expect(got!.body).toEqual(body);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < got!.rawHeaders.length; i += 2)
      pairs.push([got!.rawHeaders[i]!, got!.rawHeaders[i + 1]!]);
    // The app's own Host and the framing around them (a connection of its own for this hop);
    // the captured hop-by-hop headers, and X-Hop that Connection named, stay out.
    expect(pairs).toEqual([
      ['Host', new URL(appUrl).host],
      ...endToEnd,
      ['Content-Length', String(body.length)],
      ['Connection', 'close'],
    ]);
    const headers = Object.fromEntries(pairs.map(([k, v]) => [k.toLowerCase(), v]));
    expect(verify({ secret, headers, body: got!.body }).id).toBe('msg_fwd');

    // The app's answer is reported, and an app that is down does not stop the tail.
    await send(server.url, '/b/tail-bin/fail', { body: 'x' });
    await t.until('stdout', /→ 503 from .*\/hooks\/fail/);
    await app.close();
    await send(server.url, '/b/tail-bin', { body: 'y' });
    await t.until('stdout', /→ not forwarded to http:\/\/127\.0\.0\.1:\d+\/hooks: ECONNREFUSED/);
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(0);
  });

  it('refuses a --forward that is not an http(s) URL', async () => {
    await ready;
    for (const bad of ['localhost:3000', 'ftp://x/y', 'http://[bad']) {
      const t = tail(['tail-bin', '--server', server.url, '--forward', bad]);
      expect(await t.exit).toBe(2);
      expect(t.stderr()).toContain(`--forward ${bad} is not an http(s) URL`);
    }
  });
});
