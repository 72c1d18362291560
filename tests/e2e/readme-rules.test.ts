import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../bin-server/src/server.js';
import type { DeliveryJson } from '../../bin-server/src/wire/sandbox.js';
import { eventually } from '../support/sandbox.js';
import { repoRoot, startTestServer } from '../support/server.js';

// The README's response-rules example, run as written (curl through a shell) against a real
// server: a standard sandbox webhook retries a bin that fails three times, then succeeds.

const run = promisify(execFile);

/** The shell commands of the block after `<!-- readme-rules-example -->`, continuations joined. */
function exampleCommands(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('<!-- readme-rules-example -->'));
  const block = /```sh\n([\s\S]*?)```/.exec(after)![1]!;
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

describe('the README’s response rules example', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('503 to the first three deliveries, then 200: the delivery log shows the retries', async () => {
    const commands = exampleCommands();
    expect(commands.length).toBe(6);
    const outputs: string[] = [];
    for (const command of commands) {
      if (command.startsWith('sleep')) {
        // Instead of sleeping: wait until the dispatcher has settled the delivery.
        await eventually(async () => {
          const list = (await (
            await fetch(`${server.url}/api/sandbox/deliveries?event=payment_received`)
          ).json()) as { items: DeliveryJson[] };
          return list.items[0]?.status === 'succeeded' ? true : undefined;
        }, 30_000);
        continue;
      }
      const { stdout } = await run('bash', [
        '-c',
        command.replaceAll('http://127.0.0.1:8787', server.url) + ' --silent --show-error',
      ]);
      outputs.push(stdout);
    }
    const log = JSON.parse(outputs.at(-1)!) as { items: DeliveryJson[] };
    expect(log.items).toHaveLength(1);
    const delivery = log.items[0]!;
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.status, a.outcome])).toEqual([
      [503, 'retry'],
      [503, 'retry'],
      [503, 'retry'],
      [200, 'success'],
    ]);
    // The backoff is the bin's Retry-After: each retry is planned a second after its attempt.
    for (const attempt of delivery.attempts.slice(0, 3)) {
      const planned = Date.parse(attempt.next_attempt_at!) - Date.parse(attempt.started_at);
      expect(planned).toBeGreaterThanOrEqual(1000);
    }
    // The bin recorded which rule answered each delivery and how.
    const requests = (await (
      await fetch(`${server.url}/api/bins/flaky-receiver/requests`)
    ).json()) as { items: Array<{ answer: { status: number; detail: string } }> };
    expect(requests.items.map((r) => [r.answer.status, r.answer.detail]).reverse()).toEqual([
      [503, 'match 1 of the first 3'],
      [503, 'match 2 of the first 3'],
      [503, 'match 3 of the first 3'],
      [200, 'match 4, after the first 3'],
    ]);
  });
});
