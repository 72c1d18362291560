import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { send } from '../../support/http-client.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';
import { need } from '../../support/requirements.js';
import { eventually } from '../../support/sandbox.js';
import { startTestServer, tempDir } from '../../support/server.js';

/**
 * The SQLite file on a 4 MiB tmpfs that fills under capture load and outbox fires: every request
 * is either acknowledged and readable (byte for byte) after a restart, or answered 503 and not
 * stored; the server takes writes again by itself once space returns; WAL checkpoints catch up
 * (the WAL is folded in at close); the file passes `PRAGMA integrity_check`.
 */

const mountPoint = tempDir('umhooks-disk-full-');
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch {
  // not root, or mounting is not permitted here (a container without CAP_SYS_ADMIN)
}
const available = need(
  'a small filesystem to fill (mount -t tmpfs)',
  mounted,
  'run the tests as root where mounting a tmpfs is permitted (CI does)',
);

const dataFile = path.join(mountPoint, 'umhooks.db');
const filler = path.join(mountPoint, 'filler');
const BIN = 'disk-full-bin';
const EVENT = 'payment_received';
const body = (n: number) => Buffer.alloc(24 * 1024, 0x41 + (n % 26)).fill(String(n), 0);

let server: RunningServer;
let receiver: Receiver;
const acknowledged = new Map<string, number>();
const fired: string[] = [];
let refusedCaptures = 0;
let refusedFires = 0;

const start = () =>
  startTestServer(
    { memory: false, data: dataFile, maxRequests: 100_000 },
    {
      // A send whose outcome could not be recorded on the full disk is claimed again once its
      // lease ends; quick leases and retries keep the test short.
      dispatcher: {
        stopGraceMs: 50,
        leaseMs: 1000,
        retryPolicy: {
          maxAttempts: 1000,
          baseDelayMs: 50,
          maxDelayMs: 500,
          schedule: [50, 100, 200],
          random: () => 0.5,
        },
      },
    },
  );

async function capture(n: number): Promise<number> {
  const reply = await send(server.url, `/b/${BIN}`, { body: body(n) });
  if (reply.status === 200) acknowledged.set(reply.headers['x-request-id'] as string, n);
  else if (reply.status === 503) refusedCaptures++;
  return reply.status;
}

async function fire(n: number): Promise<number> {
  const reply = await send(server.url, '/api/sandbox/fire', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: EVENT, force: true, payload: { n, pad: 'p'.repeat(4096) } }),
  });
  if (reply.status === 202) {
    const answer = JSON.parse(reply.body.toString()) as { deliveries: string[] };
    fired.push(...answer.deliveries);
  } else if (reply.status === 503) {
    refusedFires++;
  }
  return reply.status;
}

/** Leaves about `bytes` free on the small filesystem. */
function fillLeaving(bytes: number): void {
  const stats = fs.statfsSync(mountPoint);
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, stats.bavail * stats.bsize - bytes)));
}

beforeAll(async () => {
  if (!available) return;
  receiver = await startReceiver();
  server = await start();
  await server.context.store.bins.create({ id: BIN, name: 'disk full', now: Date.now() });
  const hook = await send(server.url, '/api/sandbox/webhooks', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Disk full', webhook_url: receiver.url, event: EVENT }),
  });
  expect(hook.status).toBe(201);
});

afterAll(async () => {
  await server?.close().catch(() => undefined);
  await receiver?.close();
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

describe.runIf(available)('disk full (SQLite on a 4 MiB tmpfs)', () => {
  it('answers 503 once the disk is full, never a false success, and recovers by itself', async () => {
    fillLeaving(1024 * 1024);
    // Capture and fire until both have been refused for a while (bounded either way).
    for (let n = 0; n < 400 && (refusedCaptures < 20 || refusedFires < 5); n++) {
      const statuses = await Promise.all([capture(n * 3), capture(n * 3 + 1), fire(n)]);
      for (const status of statuses) expect([200, 202, 503]).toContain(status);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(refusedCaptures).toBeGreaterThanOrEqual(20);
    expect(refusedFires).toBeGreaterThanOrEqual(5);

    // Space returns: no restart, writes are taken again.
    fs.rmSync(filler);
    await eventually(async () => ((await capture(10_000)) === 200 ? true : undefined), 15_000);
    await eventually(async () => ((await fire(10_000)) === 202 ? true : undefined), 15_000);
    for (let n = 10_001; n < 10_021; n++) expect(await capture(n)).toBe(200);
  }, 120_000);

  it('delivers every acknowledged fire once space is back', async () => {
    await eventually(
      async () => {
        const page = await server.context.store.deliveries.list({ limit: 1000 });
        const delivered = page.items.filter((d) => d.status === 'succeeded').map((d) => d.id);
        return fired.every((id) => delivered.includes(id)) ? true : undefined;
      },
      30_000,
      'every acknowledged fire delivered',
    ).catch(async (error: unknown) => {
      const page = await server.context.store.deliveries.list({ limit: 1000 });
      const states = page.items.map((d) => `${d.id}:${d.status}/${d.attemptCount}`);
      throw new Error(`${String(error)}; fired ${fired.length}: ${states.join(' ')}`);
    });
  }, 60_000);

  it('after a restart: exactly the acknowledged requests, byte for byte; the WAL folded in; integrity ok', async () => {
    await server.close();
    // The last connection's close checkpoints the WAL into the file and removes it.
    expect(fs.existsSync(`${dataFile}-wal`)).toBe(false);
    const db = new Database(dataFile, { readonly: true });
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    db.close();

    server = await start();
    const page = await server.context.store.requests.list(BIN, {
      limit: 10_000,
      includeBody: true,
    });
    expect(page.items.map((item) => item.id).sort()).toEqual([...acknowledged.keys()].sort());
    for (const item of page.items) {
      expect(Buffer.from(item.body!).equals(body(acknowledged.get(item.id)!)), item.id).toBe(true);
    }
    const deliveries = await server.context.store.deliveries.list({ limit: 1000 });
    const ids = new Set(deliveries.items.map((d) => d.id));
    for (const id of fired) expect(ids.has(id), id).toBe(true);
    // Nothing refused was stored: every outbox row is one an acknowledged fire created.
    expect(deliveries.items).toHaveLength(fired.length);
  }, 60_000);
});
