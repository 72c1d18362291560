import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { send } from './http-client.js';
import { startReceiver } from './receiver.js';
import { spawnServing, type SpawnedServer } from './server.js';
import { liveViewer } from './viewer.js';

const run = promisify(execFile);

/**
 * `npx umhooks …` as a user types it in `cwd`. `--no-install`: the command must come from `cwd`'s
 * own node_modules (the repository's workspace link, or the installed tarball); were it missing,
 * plain npx would fetch a package of that name from the registry instead of failing.
 */
function npx(args: string[]): [string, string[]] {
  return ['npx', ['--no-install', 'umhooks', ...args]];
}

export async function umhooks(
  cwd: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const [command, all] = npx(args);
  return run(command, all, { cwd, timeout: 60_000 });
}

/** Waits until `text()` matches, failing with what was seen after `ms`. */
async function until(text: () => string, pattern: RegExp, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(text());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`${what} never printed ${pattern}:\n${text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `npx umhooks serve --port 0 --data <dir>` in `cwd`, with its full start-up block printed. */
export async function npxServe(cwd: string, data: string): Promise<SpawnedServer> {
  const [command, args] = npx(['serve', '--port', '0', '--data', data]);
  const server = await spawnServing(command, args, { cwd });
  await until(server.output, /Press Ctrl-C/, 'umhooks serve');
  return server;
}

/**
 * What the README promises of a running `umhooks serve` (started by the caller, in `cwd`), checked
 * with the README's own commands: the UI page and its assets, a capture on the example bin, the
 * JSON API, the live socket, `umhooks tail`, `umhooks trigger --url` and `trigger` through the
 * server's sandbox.
 */
export async function checkReadmeCommands(cwd: string, server: SpawnedServer): Promise<void> {
  const output = server.output();
  const binUrl = /Capture URL\s+(\S+)/.exec(output)?.[1];
  const key = /API key\s+(\S+)/.exec(output)?.[1];
  const secret = /API secret\s+(\S+)/.exec(output)?.[1];
  expect(binUrl, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/b\/\S+$/);
  const binId = binUrl!.split('/').pop()!;

  // The UI: the page, then every asset it names (a missing built file fails here).
  const page = await fetch(`${server.url}/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThanOrEqual(2);
  for (const asset of assets) expect((await fetch(`${server.url}${asset}`)).status).toBe(200);

  // Live: a viewer on the bin sees the capture below.
  const viewer = await liveViewer(server.url, `bin=${binId}`, { origin: server.url });
  try {
    // `umhooks tail <bin URL> --body`, as the README shows it.
    const [command, args] = npx(['tail', binUrl!, '--body']);
    const tail = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = { stdout: '', stderr: '' };
    tail.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
    tail.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
    try {
      await until(() => out.stderr, /Watching/, 'umhooks tail');

      // The README's curl: a capture on the example bin.
      const body = '{"hello":"world"}';
      const captured = await send(server.url, `/b/${binId}/payment_received`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(captured.status).toBe(200);
      const id = captured.headers['x-request-id'];
      expect(id).toMatch(/^req_/);

      await viewer.next((m) => JSON.stringify(m).includes(String(id)));
      await until(() => out.stdout, /POST.*\/payment_received[\s\S]*"hello":"world"/, 'tail');

      // The JSON API has it, byte for byte.
      const api = await fetch(`${server.url}/api/bins/${binId}/requests/${String(id)}`);
      expect(api.status).toBe(200);
      const json = (await api.json()) as { body_base64: string };
      expect(Buffer.from(json.body_base64, 'base64').toString()).toBe(body);
    } finally {
      process.kill(-tail.pid!, 'SIGTERM');
    }
  } finally {
    viewer.close();
  }

  // `umhooks trigger payment_received --url <receiver>`: straight to a URL, no server involved.
  const receiver = await startReceiver();
  try {
    const direct = await umhooks(cwd, ['trigger', 'payment_received', '--url', receiver.url]);
    expect(direct.stdout + direct.stderr).toMatch(/200/);
    await receiver.waitFor(1);
    const payload = JSON.parse(receiver.received[0]!.body.toString()) as Record<string, unknown>;
    expect(payload).toHaveProperty('payment_total');

    // The sandbox block: register a webhook over the plugin's REST API with the printed key pair,
    // then `umhooks trigger payment_received` fires it through the running server.
    const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const created = await fetch(`${server.url}/wp-json/wu/v2/webhook`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'My hook',
        webhook_url: `${receiver.url}/hook`,
        event: 'payment_received',
        integration: 'manual',
        active: true,
      }),
    });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    await umhooks(cwd, ['trigger', 'payment_received', '--server', server.url]);
    await receiver.waitFor(2);
    expect(receiver.received[1]!.url).toBe('/hook');
  } finally {
    await receiver.close();
  }
}
