import { createHash } from 'node:crypto';
import type { RetryPolicy } from '@umhooks/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { dropSchemas, hasPostgres, sql, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { startTestServer } from '../../support/server.js';
import { eventually } from '../../support/sandbox.js';
import { call, countWebhookIds } from './helpers.js';
import { headerOf, startReceiver, type Receiver } from '../../support/receiver.js';

// 1,000 fires spread over two instances that share the outbox: both dispatchers claim from it,
// and every attempt is made by exactly one of them — the receiver sees each webhook-id exactly
// as many times as the delivery has recorded attempts (a fifth of them fail once and are retried).

const FIRES = 1000;
const policy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 20,
  maxDelayMs: 200,
  schedule: [20, 40],
  random: () => 0.5,
};
/** The receiver answers 503 to the first attempt of these (a fixed fifth of the ids). */
const failsFirst = (id: string) => createHash('sha256').update(id).digest()[0]! % 5 === 0;

describe.runIf(hasPostgres)('dispatch across two instances', () => {
  const schema = uniqueSchema('umhooks_dispatch');
  const servers: RunningServer[] = [];
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await receiver?.close();
    await dropSchemas([schema]);
  });

  it('delivers every attempt exactly once, claimed by one worker or the other', async () => {
    const counts = new Map<string, number>();
    receiver = await startReceiver((request) => {
      const id = headerOf(request, 'webhook-id') ?? '';
      const seen = (counts.get(id) ?? 0) + 1;
      counts.set(id, seen);
      return { status: seen === 1 && failsFirst(id) ? 503 : 200 };
    });
    // Small claims, so that neither instance can take the whole backlog at once.
    const dispatcher = { retryPolicy: policy, concurrency: 8, perTarget: 8, batchSize: 8 };
    servers.push(
      ...(await Promise.all([
        startTestServer({ store: storeUrl(schema) }, { dispatcher }),
        startTestServer({ store: storeUrl(schema) }, { dispatcher }),
      ])),
    );
    const [a, b] = servers as [RunningServer, RunningServer];
    for (const [i, server] of [a, b].entries()) {
      const made = await call(server.url, 'POST', '/api/sandbox/webhooks', {
        name: `Scale-out ${i}`,
        webhook_url: `${receiver.url}/hook/${i}`,
        event: 'scale_out_event',
        profile: 'standard',
      });
      expect(made.status).toBe(201);
    }

    // Which dispatchers hold leases, sampled while the work runs.
    const owners = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await sql<{ lease_owner: string }>(
          `SELECT DISTINCT lease_owner FROM ${schema}.deliveries WHERE lease_owner IS NOT NULL`,
        );
        for (const row of rows) owners.add(row.lease_owner);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const fired: string[] = [];
    for (let start = 0; start < FIRES; start += 50) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const n = start + j;
          const res = await call((n % 2 === 0 ? a : b).url, 'POST', '/api/sandbox/fire', {
            event: 'scale_out_event',
            payload: { n },
          });
          expect(res.status).toBe(202);
          return (res.json as { deliveries: string[] }).deliveries;
        }),
      );
      fired.push(...answers.flat());
    }
    expect(fired).toHaveLength(FIRES * 2);

    await eventually(
      async () => {
        const [row] = await sql<{ open: string }>(
          `SELECT count(*) AS open FROM ${schema}.deliveries WHERE status IN ('pending', 'delivering')`,
        );
        return row!.open === '0' ? true : undefined;
      },
      90_000,
      'every delivery to finish',
    );
    sampling = false;
    await sampler;

    const rows = await sql<{ id: string; status: string; attempt_count: number; attempts: string }>(
      `SELECT d.id, d.status, d.attempt_count,
         (SELECT count(*) FROM ${schema}.delivery_attempts a WHERE a.delivery_seq = d.seq) AS attempts
       FROM ${schema}.deliveries d`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...fired].sort());
    const seen = countWebhookIds(receiver.received);
    const wrong: string[] = [];
    for (const row of rows) {
      const expected = failsFirst(row.id) ? 2 : 1;
      const received = seen.get(row.id) ?? 0;
      if (
        row.status !== 'succeeded' ||
        row.attempt_count !== expected ||
        Number(row.attempts) !== expected ||
        received !== expected
      ) {
        wrong.push(
          `${row.id}: ${row.status}, ${row.attempt_count} attempts, received ${received}x`,
        );
      }
    }
    expect(wrong).toEqual([]);
    // Nothing arrived that was not fired.
    expect(receiver.received.length).toBe(rows.reduce((sum, r) => sum + r.attempt_count, 0));
    expect(rows.filter((r) => r.attempt_count === 2).length).toBeGreaterThan(0);
    // Both instances did part of the work.
    expect(owners.size).toBe(2);
  }, 120_000);
});
