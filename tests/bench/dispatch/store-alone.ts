// The outbox's own calls on a SQLite file, no HTTP: CPU µs per delivery of queueing fires,
// claiming and recording attempts, as the dispatcher makes them (fires of 100 deliveries, claims
// of 256, attempts recorded concurrently so they share group commits). Usage: store-alone.ts
// [fires] — prints one line per phase. A tool for A/B work on the store, not a benchmark of
// record.
import path from 'node:path';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import { newDeliveryId } from '../../../bin-server/src/sandbox/ids.js';
import type { NewDelivery, StoredAttempt } from '../../../bin-server/src/store/types.js';
import { scratchDir } from '../children.js';

const fires = Number(process.argv[2] ?? 300);
const WEBHOOKS = 100;
const dir = scratchDir('umhooks-store-alone-');
const store = openSqliteStore(path.join(dir, 'store.db'));
const body = JSON.stringify({ sample: 'x'.repeat(1600) });
const owner = 'bench-owner';
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const started = Date.now();
let t = cpu();
for (let f = 0; f < fires; f++) {
  const at = started + f;
  const batch: NewDelivery[] = [];
  for (let w = 0; w < WEBHOOKS; w++) {
    batch.push({
      id: newDeliveryId(at),
      webhookId: w + 1,
      event: 'payment_received',
      payload: body,
      profile: 'standard',
      url: `http://127.0.0.1:40000/hook/${w}`,
      createdAt: at,
    });
  }
  // Four fires in flight at once, as the benchmark's callers.
  if (f % 4 === 3) await store.deliveries.enqueue(batch);
  else void store.deliveries.enqueue(batch);
}
const total = fires * WEBHOOKS;
const enqueueUs = (cpu() - t) / total;

t = cpu();
const claimed = [];
for (;;) {
  const got = await store.deliveries.claim(owner, {
    now: started + fires + 1,
    leaseMs: 15_000,
    limit: 256,
  });
  if (got.length === 0) break;
  claimed.push(...got);
}
const claimUs = (cpu() - t) / total;

t = cpu();
const pending: Array<Promise<boolean>> = [];
for (const d of claimed) {
  const attempt: StoredAttempt = {
    startedAt: new Date().toISOString(),
    durationMs: 2,
    request: {
      method: 'POST',
      url: d.url,
      headers: [
        ['content-type', 'application/json'],
        ['user-agent', 'umhooks'],
        ['webhook-id', d.id],
        ['webhook-timestamp', '1700000000'],
        ['webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
      ],
      body: d.payload,
    },
    status: 200,
    responseHeaders: [
      ['content-length', '0'],
      ['date', new Date().toUTCString()],
    ],
    responseBody: '',
    responseTruncated: false,
    deliveryId: d.id,
    number: 1,
    outcome: 'success',
    nextAttemptAt: undefined,
  };
  pending.push(
    store.deliveries.recordAttempt(owner, attempt, {
      status: 'succeeded',
      nextAttemptAt: undefined,
    }),
  );
  // 128 sends in flight: their attempts arrive in small groups.
  if (pending.length % 32 === 0) await Promise.all(pending.splice(0));
}
await Promise.all(pending);
const recordUs = (cpu() - t) / total;
console.log(
  `deliveries ${total}  enqueue ${enqueueUs.toFixed(1)} µs  claim ${claimUs.toFixed(1)} µs  record ${recordUs.toFixed(1)} µs  total ${(enqueueUs + claimUs + recordUs).toFixed(1)} µs`,
);
await store.close();
