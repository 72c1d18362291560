import { spawn } from 'node:child_process';
import { runScenario, verify } from '@umhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../support/server.js';
import { startSandbox, type Sandbox } from '../../support/sandbox.js';
import { pairs, startReceiver, type Receiver } from '../../support/receiver.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function umhooks(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

describe('umhooks scenario list|show', () => {
  it('lists the scenarios and shows one: events in order, why, what is open', async () => {
    const list = await umhooks(['scenario', 'list']);
    expect(list.code, list.stderr).toBe(0);
    for (const name of [
      'signup',
      'renewal',
      'failed-renewal',
      'custom-domain',
      'demo-expiry',
      'invoice',
    ])
      expect(list.stdout).toMatch(new RegExp(`^${name}\\s+\\S`, 'm'));
    const show = await umhooks(['scenario', 'show', 'failed-renewal', '--seed', '9']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('Left open by the plugin, assumed here:');
    expect(show.stdout).toContain('inc/class-cron.php:287-330');
    expect(show.stdout).toMatch(/5\. \d{4}-\d\d-\d\d \d\d:00:00 {2}membership_expired/);
    const asJson = await umhooks(['scenario', 'show', 'renewal', '--seed', '9', '--json']);
    expect(JSON.parse(asJson.stdout)).toEqual(runScenario('renewal', { seed: 9 }));
    const unknown = await umhooks(['scenario', 'show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no scenario "nope"; there are: signup');
  });
});

describe('umhooks scenario run --url', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => ({ body: '{"ok":true}' }));
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('posts every event of the run to the URL, in order, as the plugin would; a seed repeats it', async () => {
    const url = `${receiver.url}/hooks`;
    const before = receiver.received.length;
    const run = await umhooks([
      'scenario',
      'run',
      'signup',
      '--url',
      url,
      '--seed',
      '5',
      '--delay',
      '20ms',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Scenario signup, seed 5');
    expect(run.stdout).toMatch(/10\/10 .* site_published {2}→ 200 in \d+ ms/);
    const got = receiver.received.slice(before);
    const expected = runScenario('signup', { seed: 5 }).steps;
    expect(got.map((r) => json(r.body))).toEqual(expected.map((s) => s.payload));
    expect(pairs(got[0]!.rawHeaders).find(([n]) => n === 'User-Agent')?.[1]).toMatch(
      /^WordPress\//,
    );

    const again = await umhooks(['scenario', 'run', 'signup', '--url', url, '--seed', '5']);
    expect(again.code).toBe(0);
    const repeated = receiver.received.slice(before + 10);
    expect(repeated.map((r) => r.body.toString('hex'))).toEqual(
      got.map((r) => r.body.toString('hex')),
    );
  });

  it('signs with --profile standard and applies --set/--unset, refusing what the schema refuses', async () => {
    const url = `${receiver.url}/signed`;
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const before = receiver.received.length;
    const run = await umhooks([
      'scenario',
      'run',
      'demo-expiry',
      '--url',
      url,
      '--seed',
      '1',
      '--profile',
      'standard',
      '--secret',
      secret,
      '--set',
      'site.title=Demo of Ada',
      '--set',
      'demo_time_remaining=2 hours',
      '--unset',
      'site.path',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const request = receiver.received[before]!;
    const headers = Object.fromEntries(
      pairs(request.rawHeaders).map(([n, v]) => [n.toLowerCase(), v]),
    );
    expect(() => verify({ secret, headers, body: request.body })).not.toThrow();
    const body = json(request.body) as {
      site: Record<string, unknown>;
      demo_time_remaining: string;
    };
    expect(body.site.title).toBe('Demo of Ada');
    expect(body.site).not.toHaveProperty('path');
    expect(body.demo_time_remaining).toBe('2 hours');

    const refused = await umhooks([
      'scenario',
      'run',
      'renewal',
      '--url',
      url,
      '--seed',
      '1',
      '--set',
      'payment_total_raw=lots',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('payment_total_raw should be a number, got "lots"');
    expect(refused.stderr).toContain('--force');
    expect(receiver.received.length).toBe(before + 1);
    const bad = await umhooks(['scenario', 'run', 'renewal', '--url', url, '--set', 'novalue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected key=value');
  });
});

describe('umhooks trigger --set/--unset', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(() => ({ body: 'ok' }));
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('types values by the schema, and refuses a value the schema refuses unless --force', async () => {
    const url = `${receiver.url}/t`;
    const ok = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      url,
      '--set',
      'payment_total_raw=49.9',
      '--set',
      'payment_id=12',
      '--unset',
      'membership_manage_url',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const body = json(receiver.received.at(-1)!.body);
    expect(body.payment_total_raw).toBe(49.9);
    expect(body.payment_id).toBe(12);
    expect(body).not.toHaveProperty('membership_manage_url');
    const count = receiver.received.length;
    const refused = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      url,
      '--set',
      'payment_id=x',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('payment_id should be a whole number, got "x"');
    expect(receiver.received.length).toBe(count);
    const forced = await umhooks([
      'trigger',
      'payment_received',
      '--url',
      url,
      '--set',
      'payment_id=x',
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(json(receiver.received.at(-1)!.body).payment_id).toBe('x');
  });
});

describe('umhooks scenario run through a running server', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startReceiver(() => ({ body: 'ok' }));
    await sandbox.api('POST', '/sandbox/webhooks', {
      name: 'Expired',
      webhook_url: `${receiver.url}/expired`,
      event: 'membership_expired',
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('fires each event to the sandbox webhooks and prints the deliveries', async () => {
    const run = await umhooks([
      'scenario',
      'run',
      'failed-renewal',
      '--server',
      sandbox.url,
      '--seed',
      '8',
      '--set',
      'customer_name=Ada Lovelace',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Scenario failed-renewal, seed 8: fired 5 events');
    expect(run.stdout).toMatch(/1\/5 .* payment_failed {2}→ no webhook/);
    expect(run.stdout).toMatch(/5\/5 .* membership_expired {2}→ 1 webhook msg_/);
    await receiver.waitFor(1);
    const body = json(receiver.received[0]!.body);
    expect(body.customer_name).toBe('Ada Lovelace');
    expect(body.membership_status).toBe('expired');

    const refused = await umhooks([
      'scenario',
      'run',
      'signup',
      '--server',
      sandbox.url,
      '--set',
      'customer_id=abc',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('422 invalid_overrides');
    const trigger = await umhooks([
      'trigger',
      'membership_expired',
      '--server',
      sandbox.url,
      '--set',
      'membership_amount_raw=12.5',
    ]);
    expect(trigger.code, trigger.stderr).toBe(0);
    await receiver.waitFor(2);
    const triggered = json(receiver.received[1]!.body);
    expect(triggered.membership_amount_raw).toBe(12.5);
    expect(triggered).toHaveProperty('customer_name');
    const refusedTrigger = await umhooks([
      'trigger',
      'membership_expired',
      '--server',
      sandbox.url,
      '--unset',
      'customer_avatar',
    ]);
    expect(refusedTrigger.code).toBe(1);
    expect(refusedTrigger.stderr).toContain('customer_avatar is missing');
    const down = await umhooks(['scenario', 'run', 'signup', '--server', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach umhooks at http://127.0.0.1:9');
  });
});
