// Child of the startup benchmark: fills a SQLite data file with `count` requests through the
// store's own API (so it holds exactly what captures would leave), 500 per bin as the default
// --max-requests keeps them, each a 1 KB JSON body like a real webhook.
import { catalog } from '@umhooks/core';
import { newRequestId } from '../../../bin-server/src/capture/request-id.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
const PER_BIN = 500;
const BATCH = 5000;

const sample = catalog.find((e) => e.id === 'membership_expired')!.sample;
const body = new TextEncoder().encode(JSON.stringify(sample));
const rawHeaders = ['Host', '127.0.0.1', 'Content-Type', 'application/json', 'User-Agent', 'bench'];

const store = openSqliteStore(file!);
// The store's WAL checkpointer worker and its write gate keep nothing of the event loop alive (a
// server has its listening socket for that): without this, a pause of the gate would end the
// process in the middle of its awaits (exit code 13).
const keepAlive = setInterval(() => undefined, 1000);
const now = Date.now();
for (let bin = 0; bin * PER_BIN < count; bin++) {
  await store.bins.create({ id: `bench-${bin}`, name: `bench ${bin}`, now });
}
for (let start = 0; start < count; start += BATCH) {
  const inserts: Array<Promise<unknown>> = [];
  for (let i = start; i < Math.min(count, start + BATCH); i++) {
    inserts.push(
      store.requests.insert(
        {
          id: newRequestId(now + i),
          binId: `bench-${Math.floor(i / PER_BIN)}`,
          receivedAt: now + i,
          method: 'POST',
          path: '/',
          query: '',
          rawHeaders,
          body,
          remoteAddress: '127.0.0.1',
          recognition: undefined,
        },
        PER_BIN,
      ),
    );
  }
  await Promise.all(inserts);
}
await store.close();
clearInterval(keepAlive);
console.log(`filled ${count}`);
