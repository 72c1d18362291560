import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildRequest, catalog, getEvent, verify } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, spawnServer, tempDir } from '../../support/server.js';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';
import { pairs, startReceiver, type Receiver } from '../../support/receiver.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function umhooks(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('umhooks trigger --url (no server)', () => {
  let receiver: Receiver;
  let dir: string;
  beforeAll(async () => {
    receiver = await startReceiver((request) =>
      request.url === '/teapot' ? { status: 418, body: 'I am a teapot' } : { body: '{"ok":true}' },
    );
    dir = tempDir('umhooks-cli-trigger-');
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('posts the realistic sample exactly as the plugin would, and prints the answer', async () => {
    const url = `${receiver.url}/plugin`;
    const before = receiver.received.length;
    const run = await umhooks(['trigger', 'payment_received', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`→ POST ${url}`);
    expect(run.stdout).toMatch(/← 200 in \d+ ms/);
    expect(run.stdout).toContain('{"ok":true}');
    const request = receiver.received[before]!;
    const expected = buildRequest(url, getEvent('payment_received')!.sample, {
      profile: 'plugin',
      eventId: 'payment_received',
    });
    expect(request.body.toString('utf8')).toBe(expected.body);
    expect(pairs(request.rawHeaders)).toEqual(expected.headers);
  });

  it('prints the status of a non-2xx answer and still exits 0 (an answer arrived)', async () => {
    const run = await umhooks(['trigger', 'site_published', '--url', `${receiver.url}/teapot`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/← 418/);
    expect(run.stdout).toContain('I am a teapot');
  });

  it('signs with --profile standard --secret, verifiable with that secret', async () => {
    const before = receiver.received.length;
    const run = await umhooks([
      'trigger',
      'customer_created',
      '--url',
      `${receiver.url}/std`,
      '--profile',
      'standard',
      '--secret',
      SECRET,
      '--verbose',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('webhook-signature');
    const request = receiver.received[before]!;
    const headers = Object.fromEntries(
      pairs(request.rawHeaders).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(() => verify({ secret: SECRET, headers, body: request.body })).not.toThrow();
  });

  it('generates and prints a secret for --profile standard without --secret', async () => {
    const before = receiver.received.length;
    const run = await umhooks([
      'trigger',
      'customer_created',
      '--url',
      `${receiver.url}/gen`,
      '--profile',
      'standard',
    ]);
    expect(run.code).toBe(0);
    const secret = /signing secret (whsec_\S+)/.exec(run.stderr)?.[1];
    expect(secret).toBeDefined();
    const request = receiver.received[before]!;
    const headers = Object.fromEntries(
      pairs(request.rawHeaders).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(() => verify({ secret: secret!, headers, body: request.body })).not.toThrow();
  });

  it('sends a --payload file (warning about schema problems) and a payload from stdin', async () => {
    const file = path.join(dir, 'payload.json');
    fs.writeFileSync(file, JSON.stringify({ payment_id: 'abc', custom: true }));
    const before = receiver.received.length;
    const run = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      `${receiver.url}/file`,
      '--payload',
      file,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning');
    expect(run.stderr).toContain('payment_id');
    expect(JSON.parse(receiver.received[before]!.body.toString('utf8'))).toMatchObject({
      payment_id: 'abc',
      custom: true,
    });

    const piped = await umhooks(
      ['trigger', 'my_addon_event', '--url', `${receiver.url}/stdin`, '--payload', '-'],
      '{"addon":"yes"}',
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toContain('not in the catalog');
    expect(JSON.parse(receiver.received[before + 1]!.body.toString('utf8'))).toMatchObject({
      addon: 'yes',
    });
  });

  it('exits 1 when no answer comes, 2 for usage mistakes', async () => {
    const refused = await umhooks(['trigger', 'payment_received', '--url', 'http://127.0.0.1:1/x']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('no answer');

    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{not json');
    const badFile = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      receiver.url,
      '--payload',
      file,
    ]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toContain('not JSON');
    const list = await umhooks(
      ['trigger', 'payment_received', '--url', receiver.url, '--payload', '-'],
      '[1,2]',
    );
    expect(list.code).toBe(2);
    const unknown = await umhooks(['trigger', 'no_such_event', '--url', receiver.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--payload');
    const secretWithoutStandard = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      receiver.url,
      '--secret',
      SECRET,
    ]);
    expect(secretWithoutStandard.code).toBe(2);
  });
});

describe('umhooks trigger through a running server', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startReceiver();
    await sandbox.api('POST', '/sandbox/webhooks', {
      name: 'CLI target',
      webhook_url: `${receiver.url}/cli`,
      event: 'membership_created',
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('fires to the sandbox webhooks and prints the delivery ids', async () => {
    const run = await umhooks(['trigger', 'membership_created', '--server', sandbox.url]);
    expect(run.code, run.stderr).toBe(0);
    const ids = [...run.stdout.matchAll(/(msg_[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    await receiver.waitFor(1);
  });

  it('says when no webhook listens, refuses an invalid payload (422) unless --force', async () => {
    const none = await umhooks(['trigger', 'invoice_sent', '--server', sandbox.url]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('no active sandbox webhook');

    // An id the catalog does not know has no sample: refused, not fired as `{}`.
    const typo = await umhooks(['trigger', 'membership_createdd', '--server', sandbox.url]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown_event');
    expect(typo.stderr).toContain('"membership_createdd" is not in the event catalog');
    expect(typo.stderr).toContain('umhooks events" lists the known ones');
    expect(typo.stderr).not.toContain('--force');

    const dir = tempDir('umhooks-cli-fire-');
    const file = path.join(dir, 'p.json');
    fs.writeFileSync(file, '{"membership_id":"nope"}');
    const refused = await umhooks([
      'trigger',
      'membership_created',
      '--server',
      sandbox.url,
      '--payload',
      file,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('422');
    expect(refused.stderr).toContain('--force');
    const forced = await umhooks([
      'trigger',
      'membership_created',
      '--server',
      sandbox.url,
      '--payload',
      file,
      '--force',
    ]);
    expect(forced.code).toBe(0);
  });

  it('explains an unreachable server', async () => {
    const run = await umhooks(['trigger', 'payment_received', '--server', 'http://127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach umhooks');
  });
});

describe('umhooks events', () => {
  it('lists every catalog event with its delivery', async () => {
    const run = await umhooks(['events']);
    expect(run.code).toBe(0);
    for (const event of catalog) expect(run.stdout).toContain(event.id);
    expect(run.stdout).toContain('log-only');
  });

  it("prints one event's description, fields and sample (or the plugin sample)", async () => {
    const event = getEvent('payment_received')!;
    const run = await umhooks(['events', 'payment_received']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(event.name);
    expect(run.stdout).toContain(event.description);
    expect(run.stdout).toContain('payment_total_raw');
    const sample = run.stdout.slice(run.stdout.indexOf('{'));
    expect(JSON.parse(sample)).toEqual(event.sample);
    const mock = await umhooks(['events', 'payment_received', '--plugin-sample']);
    expect(JSON.parse(mock.stdout.slice(mock.stdout.indexOf('{')))).toEqual(event.pluginSample);
  });

  it('prints JSON with --json and refuses unknown ids', async () => {
    const list = JSON.parse((await umhooks(['events', '--json'])).stdout) as Array<{ id: string }>;
    expect(list.map((e) => e.id)).toEqual(catalog.map((e) => e.id));
    const one = JSON.parse((await umhooks(['events', 'site_published', '--json'])).stdout) as {
      id: string;
      sample: unknown;
    };
    expect(one.id).toBe('site_published');
    const unknown = await umhooks(['events', 'payment']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('payment_received');
  });

  it('has --help with examples on trigger and events', async () => {
    for (const command of ['trigger', 'events']) {
      const run = await umhooks([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
    }
  });
});

describe('umhooks serve and the sandbox', () => {
  it('prints the sandbox REST URL and key pair at start-up; --api-key/--api-secret and the environment set them', async () => {
    const server = await spawnServer([
      '--memory',
      '--api-key',
      'cli-key-1234',
      '--api-secret',
      'cli-secret-1234',
    ]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(server.output()).toContain(`Sandbox REST  ${server.url}/wp-json/wu/v2`);
      expect(server.output()).toMatch(/API key\s+cli-key-1234/);
      expect(server.output()).toMatch(/API secret\s+cli-secret-1234/);
      const res = await fetch(
        `${server.url}/wp-json/wu/v2/auth?api_key=cli-key-1234&api_secret=cli-secret-1234`,
      );
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
    const fromEnv = await spawnServer(['--memory'], {
      UMHOOKS_API_KEY: 'env-key-12345',
      UMHOOKS_API_SECRET: 'env-secret-12345',
    });
    try {
      const res = await fetch(`${fromEnv.url}/wp-json/wu/v2/auth`, {
        headers: {
          authorization: `Basic ${Buffer.from('env-key-12345:env-secret-12345').toString('base64')}`,
        },
      });
      expect(res.status).toBe(200);
    } finally {
      await fromEnv.stop();
    }
  });
});
