import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryJson } from '../../../bin-server/src/wire/sandbox.js';
import { spawnServer, tempDir, type SpawnedServer } from '../../support/server.js';
import { eventually } from '../../support/sandbox.js';
import { pairs, startReceiver, type Receiver } from '../../support/receiver.js';

// The outbox survives SIGKILL: 1,000 deliveries are fired (each acknowledged only once durable),
// the server is killed mid-burst while the receiver holds some requests unanswered, and a new
// server on the same data file sends everything that was not recorded as delivered.

const WEBHOOKS = 10;
const FIRES = 100;
const ANSWERED_BEFORE_KILL = 300;

describe('SIGKILL during a burst of 1,000 deliveries', () => {
  const spawned: SpawnedServer[] = [];
  let receiver: Receiver | undefined;
  afterAll(async () => {
    for (const s of spawned) await s.kill('SIGKILL');
    await receiver?.close();
  });

  it('delivers every one at least once after a restart, none stuck, duplicates only for the in-flight ones', async () => {
    const data = path.join(tempDir('umhooks-crash-'), 'outbox.db');
    let answering = true;
    let answered = 0;
    receiver = await startReceiver(() => {
      if (!answering) return { hang: true };
      answered += 1;
      if (answered >= ANSWERED_BEFORE_KILL) answering = false;
      return { status: 200 };
    });
    const first = await spawnServer(['--data', data, '--quiet']);
    spawned.push(first);
    const api = (server: SpawnedServer, method: string, route: string, body?: unknown) =>
      fetch(`${server.url}/api${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    for (let i = 0; i < WEBHOOKS; i++) {
      const res = await api(first, 'POST', '/sandbox/webhooks', {
        name: `Crash ${i}`,
        webhook_url: `${receiver.url}/hook/${i}`,
        event: 'crash_test_event',
        // Half plugin (one attempt), half standard (retried): both must survive.
        profile: i % 2 === 0 ? 'standard' : 'plugin',
      });
      expect(res.status).toBe(201);
    }

    const fired: string[] = [];
    for (let batch = 0; batch < FIRES; batch += 20) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const res = await api(first, 'POST', '/sandbox/fire', {
            event: 'crash_test_event',
            payload: { fire: batch + j },
          });
          expect(res.status).toBe(202);
          return ((await res.json()) as { deliveries: string[] }).deliveries;
        }),
      );
      fired.push(...answers.flat());
    }
    expect(fired).toHaveLength(WEBHOOKS * FIRES);

    // Kill once the receiver has stopped answering and holds a full set of in-flight requests.
    await receiver.waitFor(ANSWERED_BEFORE_KILL + 1, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    await first.kill('SIGKILL');
    const seenAtKill = receiver.received.length;
    expect(seenAtKill).toBeLessThan(fired.length);
    // Plugin-profile requests carry no webhook-id: identify them by their target and payload.
    const key = (i: number) => {
      const r = receiver!.received[i]!;
      return (
        pairs(r.rawHeaders).find(([k]) => k === 'webhook-id')?.[1] ??
        `${r.url} ${r.body.toString('utf8')}`
      );
    };
    const inFlightAtKill = new Set<string>();
    for (let i = ANSWERED_BEFORE_KILL; i < seenAtKill; i++) inFlightAtKill.add(key(i));
    expect(inFlightAtKill.size).toBeGreaterThan(0);

    answering = true;
    answered = -Infinity; // answer everything from now on
    const second = await spawnServer(['--data', data, '--quiet']);
    spawned.push(second);

    // Every delivery ends up recorded as delivered (leases of the killed run expire first).
    await eventually(
      async () => {
        const unfinished = await Promise.all(
          ['pending', 'delivering', 'failed', 'gave-up'].map(async (status) => {
            const res = await api(second, 'GET', `/sandbox/deliveries?status=${status}&limit=1`);
            return ((await res.json()) as { items: unknown[] }).items.length;
          }),
        );
        return unfinished.every((n) => n === 0) ? true : undefined;
      },
      60_000,
      'every delivery to succeed after the restart',
    );

    // Map each fired delivery id to the request key the receiver saw for it.
    const expectedKeys = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const res = await api(
        second,
        'GET',
        `/sandbox/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const page = (await res.json()) as { items: DeliveryJson[]; next_cursor: string | null };
      for (const d of page.items) {
        expect(d.status).toBe('succeeded');
        expectedKeys.set(
          d.id,
          d.profile === 'standard'
            ? d.id
            : `${new URL(d.url).pathname} ${d.attempts.at(-1)!.request.body}`,
        );
      }
      cursor = page.next_cursor;
    } while (cursor);
    expect([...expectedKeys.keys()].sort()).toEqual([...fired].sort());

    const counts = new Map<string, number>();
    for (let i = 0; i < receiver.received.length; i++)
      counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
    const duplicates: string[] = [];
    for (const [id, k] of expectedKeys) {
      const n = counts.get(k) ?? 0;
      expect(n, `delivery ${id} was never received`).toBeGreaterThanOrEqual(1);
      if (n > 1) duplicates.push(k);
    }
    // Only requests that were in flight (received, unanswered) when the server died went twice.
    for (const k of duplicates)
      expect(inFlightAtKill.has(k), `unexpected duplicate ${k}`).toBe(true);
    expect(duplicates.length).toBeLessThanOrEqual(inFlightAtKill.size);
  }, 120_000);
});
