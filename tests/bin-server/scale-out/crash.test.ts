import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, hasPostgres, sql, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { repoRoot } from '../../support/server.js';
import { eventually } from '../../support/sandbox.js';
import { call, countWebhookIds } from './helpers.js';
import { headerOf, startReceiver, type Receiver } from '../../support/receiver.js';

// SIGKILL of one of two instances in the middle of a burst of 1,000 deliveries: nothing is lost.
// The receiver stops answering after a while, so each instance has requests in flight; one
// instance is killed; the survivor finishes its own work and, once the dead one's leases run
// out, everything the dead one had claimed. Only what the dead one had in flight goes twice.

const WEBHOOKS = 10;
const FIRES = 100;
const ANSWERED_FIRST = 300;
const LEASE_MS = 1500;

interface Instance {
  url: string;
  child: ChildProcess;
  kill(): Promise<void>;
}

async function startInstance(store: string): Promise<Instance> {
  const script = path.join(repoRoot, 'tests/bin-server/scale-out/fixtures/instance.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, store, String(LEASE_MS)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`instance exited before starting:\n${output}`)));
  });
  return {
    url,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

describe.runIf(hasPostgres)('SIGKILL of one instance during a burst', () => {
  const schema = uniqueSchema('umhooks_crash');
  const instances: Instance[] = [];
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await receiver?.close();
    await dropSchemas([schema]);
  });

  it('the other instance completes every delivery; only the dead one’s in-flight ones go twice', async () => {
    // Answers the first ANSWERED_FIRST, then holds everything until told to answer again.
    let mode: 'first' | 'hold' | 'answer' = 'first';
    receiver = await startReceiver(() => {
      if (mode === 'first' && receiver!.received.length > ANSWERED_FIRST) mode = 'hold';
      return mode === 'hold' ? { hold: true } : { status: 200 };
    });
    const url = storeUrl(schema);
    // Started together on an empty schema: they also race for the migrations.
    const [a, b] = await Promise.all([startInstance(url), startInstance(url)]);
    instances.push(a, b);

    for (let i = 0; i < WEBHOOKS; i++) {
      const made = await call(a.url, 'POST', '/api/sandbox/webhooks', {
        name: `Crash ${i}`,
        webhook_url: `${receiver.url}/hook/${i}`,
        event: 'scale_out_crash',
        profile: 'standard',
      });
      expect(made.status).toBe(201);
    }
    const fired: string[] = [];
    for (let start = 0; start < FIRES; start += 20) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const n = start + j;
          const res = await call((n % 2 === 0 ? a : b).url, 'POST', '/api/sandbox/fire', {
            event: 'scale_out_crash',
            payload: { n },
          });
          expect(res.status).toBe(202);
          return (res.json as { deliveries: string[] }).deliveries;
        }),
      );
      fired.push(...answers.flat());
    }
    expect(fired).toHaveLength(WEBHOOKS * FIRES);

    // Both hold requests in flight now (the receiver stopped answering); kill A.
    await eventually(() => (receiver!.held >= 40 ? true : undefined), 30_000, 'held requests');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.kill();
    // Its connections closed with it: those requests were in flight at A when it died.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const inFlightAtKill = new Set(
      receiver.received.filter((r) => r.abandoned).map((r) => headerOf(r, 'webhook-id') ?? ''),
    );
    expect(inFlightAtKill.size).toBeGreaterThan(0);
    const [{ leased }] = (await sql<{ leased: string }>(
      `SELECT count(*) AS leased FROM ${schema}.deliveries WHERE status = 'delivering'`,
    )) as [{ leased: string }];
    expect(Number(leased)).toBeGreaterThan(0);

    mode = 'answer';
    receiver.release();

    await eventually(
      async () => {
        const rows = await sql<{ status: string; n: string }>(
          `SELECT status, count(*) AS n FROM ${schema}.deliveries GROUP BY status`,
        );
        return rows.length === 1 && rows[0]!.status === 'succeeded' ? rows : undefined;
      },
      60_000,
      'every delivery to succeed on the surviving instance',
    );
    // Also what B's API says (B alone is left).
    const failed = await call(b.url, 'GET', '/api/sandbox/deliveries?status=pending&limit=1');
    expect((failed.json as { items: unknown[] }).items).toEqual([]);

    const stored = await sql<{ id: string }>(`SELECT id FROM ${schema}.deliveries`);
    expect(stored.map((r) => r.id).sort()).toEqual([...fired].sort());
    const seen = countWebhookIds(receiver.received);
    const missing = fired.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    const duplicates = fired.filter((id) => seen.get(id)! > 1);
    for (const id of duplicates) {
      expect(inFlightAtKill.has(id), `unexpected duplicate ${id}`).toBe(true);
    }
    // What A had in flight, B sent again after A's leases ran out.
    for (const id of inFlightAtKill) expect(seen.get(id)).toBe(2);
  }, 120_000);
});
