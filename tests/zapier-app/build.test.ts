// The offline build: `npm run zapier:build` (the Zapier CLI on Node 22, fetched from the npm
// registry) makes build/build.zip; this test unzips it, loads its zapierwrapper.js handler in a
// Node 22 process the way Zapier's Lambda does, and runs the connection test and a whole Zap
// (subscribe, perform, performList, unsubscribe) against a real sandbox.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNode22, node22Obtainable } from '../../zapier-app/scripts/tools.mjs';
import { need } from '../support/requirements.js';
import { repoRoot, tempDir } from '../support/server.js';
import { App, appTester, cleanedRequest, hookOperation, type Item, authDataOf } from './helpers.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';
import { unzip, type ZipEntry } from './unzip.js';

const run = promisify(execFile);
const hasNode22 = need(
  'Node 22',
  node22Obtainable(),
  'the Zapier CLI needs Node 22: on Linux x64 it is installed from the npm registry on first use; elsewhere set ZAPIER_NODE=/path/to/node22',
);

interface HandlerOutcome {
  ok: boolean;
  results?: unknown;
  error?: string;
}

describe.runIf(hasNode22)('build.zip', () => {
  let sandbox: Sandbox;
  let unzipped: string;
  let entries: ZipEntry[];
  let node22: string;
  const zipPath = path.join(repoRoot, 'zapier-app/build/build.zip');

  beforeAll(async () => {
    fs.rmSync(zipPath, { force: true });
    try {
      await run('npm', ['run', 'zapier:build', '--silent', '-w', 'zapier-app'], {
        cwd: repoRoot,
        timeout: 170_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run zapier:build failed:\n${stdout}\n${stderr}`, { cause: error });
    }
    node22 = findNode22();
    unzipped = tempDir('umhooks-zapier-zip-');
    entries = unzip(zipPath, unzipped);
    sandbox = await startSandbox();
  }, 180_000);

  afterAll(async () => {
    await sandbox?.close();
    if (unzipped) fs.rmSync(unzipped, { recursive: true, force: true });
  });

  /** One Lambda-style invocation: a fresh Node 22 process, cwd = the unzipped build. */
  async function invoke(method: string, bundle: Record<string, unknown>): Promise<HandlerOutcome> {
    const script = `
      const { handler } = await import('./zapierwrapper.js');
      const event = JSON.parse(process.argv[1]);
      let outcome;
      try {
        const response = await handler(event, {});
        outcome = { ok: true, results: response.results };
      } catch (error) {
        outcome = { ok: false, error: String(error && error.message) };
      }
      process.stdout.write('\\n@@OUTCOME@@' + JSON.stringify(outcome) + '\\n');
    `;
    const event = { command: 'execute', method, bundle };
    const child = spawn(node22, ['--input-type=module', '-e', script, JSON.stringify(event)], {
      cwd: unzipped,
      // Only what a Lambda has: no NODE_PATH, no inherited npm_* settings.
      env: { PATH: path.dirname(node22), HOME: unzipped, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = stdout.split('\n').find((text) => text.startsWith('@@OUTCOME@@'));
    if (!line)
      throw new Error(`handler process exited ${code} without an outcome:\n${stdout}\n${stderr}`);
    return JSON.parse(line.slice('@@OUTCOME@@'.length)) as HandlerOutcome;
  }

  it('is self-contained: the bundle, the wrapper, zapier-platform-core and the files the CLI misses', () => {
    const names = new Set(entries.map((entry) => entry.name));
    for (const name of [
      'zapierwrapper.js',
      'package.json',
      'definition.json',
      'dist/index.js',
      'node_modules/zapier-platform-core/package.json',
      'node_modules/zapier-platform-core/index.mjs',
      'node_modules/async-function/require.mjs',
      'node_modules/async-generator-function/require.mjs',
      'node_modules/generator-function/require.mjs',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    // No link out of the zip, no workspace paths, no TypeScript sources or tests.
    expect(entries.filter((entry) => entry.symlink)).toEqual([]);
    expect([...names].filter((name) => name.startsWith('../') || name.startsWith('core/'))).toEqual(
      [],
    );
    expect([...names].filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))).toEqual(
      [],
    );
    // @umhooks/core is inlined: nothing imports it at run time.
    const bundle = fs.readFileSync(path.join(unzipped, 'dist/index.js'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']@umhooks\/core["']/);
    const manifest = JSON.parse(fs.readFileSync(path.join(unzipped, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      exports: string;
    };
    expect(manifest.dependencies).toEqual({ 'zapier-platform-core': '19.1.0' });
    expect(manifest.exports).toBe('./dist/index.js');
  });

  it('describes the same triggers as the source app', () => {
    const definition = JSON.parse(
      fs.readFileSync(path.join(unzipped, 'definition.json'), 'utf8'),
    ) as {
      triggers: Record<string, unknown>;
      platformVersion: string;
    };
    expect(Object.keys(definition.triggers).sort()).toEqual(Object.keys(App.triggers).sort());
    expect(definition.platformVersion).toBe('19.1.0');
  });

  it('runs the connection test and a whole Zap through the zip handler', async () => {
    const authData = authDataOf(sandbox);
    const auth = await invoke('authentication.test', { authData });
    expect(auth.ok, auth.error).toBe(true);
    expect(auth.results).toMatchObject({ success: true });

    const { connection_label: label } = auth.results as { connection_label: string };
    expect(label).toMatch(new RegExp(`\\(${new URL(sandbox.url).host.replace(/\./g, '\\.')}\\)$`));

    const denied = await invoke('authentication.test', {
      authData: { ...authData, api_secret: 'nope' },
    });
    expect(denied.ok).toBe(false);
    expect(denied.error).toContain('AuthenticationError');

    const bin = await sandbox.api<{ url: string }>('POST', '/bins', {});
    const base = 'triggers.payment_received.operation';
    const subscribed = await invoke(`${base}.performSubscribe`, {
      authData,
      targetUrl: `${bin.json.url}/zap`,
    });
    expect(subscribed.ok, subscribed.error).toBe(true);
    const subscribeData = subscribed.results as { id: string };
    expect(subscribeData.id).toMatch(/^\d+$/);
    expect((await sandbox.api('GET', `/sandbox/webhooks/${subscribeData.id}`)).status).toBe(200);

    // The zip's perform gives what the source gives for the same delivery.
    const operation = hookOperation('payment_received');
    const request = cleanedRequest(operation.sample);
    const performed = await invoke(`${base}.perform`, { authData, cleanedRequest: request });
    expect(performed.ok, performed.error).toBe(true);
    const fromSource = (await appTester(operation.perform, { cleanedRequest: request })) as Item[];
    expect(performed.results).toEqual(fromSource);

    const listed = await invoke(`${base}.performList`, { authData });
    expect(listed.ok, listed.error).toBe(true);
    const items = listed.results as Item[];
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0]!).sort()).toEqual(Object.keys(operation.sample).sort());

    const unsubscribed = await invoke(`${base}.performUnsubscribe`, { authData, subscribeData });
    expect(unsubscribed.results).toEqual({ id: subscribeData.id, deleted: true });
    expect((await sandbox.api('GET', `/sandbox/webhooks/${subscribeData.id}`)).status).toBe(404);
  });
});
