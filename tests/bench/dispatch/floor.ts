// Durable floor (f) of the dispatch benchmark, in its own process: the least a durable sender does
// around each send. A SQLite outbox (better-sqlite3, WAL, synchronous=NORMAL as umhooks' store):
// each fire inserts one row per webhook in one transaction; the sender claims pending rows in one
// statement, posts each as the client ceiling does (undici Pool, 32 connections, the same signed
// body), and the attempts answered in one event-loop turn are recorded — one attempt row each,
// the delivery marked done — in one transaction. Usage: floor.ts <url> <deliveries> <webhooks>
// <body> <headers JSON>; prints {deliveries, seconds, rate} as JSON, from the first fire to the
// last recorded attempt. With a sixth argument `--threaded`, the posts are made on a worker thread
// (floor-sender.ts; batches cross once a turn each way) and this thread keeps the outbox: whether
// a second thread raises the floor on this machine.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { scratchDir } from '../children.js';
import { createPoster, type Answered, type Claimed } from './floor-sender.js';

const CONNECTIONS = 32;
/** Fires queued per event-loop turn while the sender works, as the fire API's callers do. */
const FIRES_PER_TURN = 1;

const [target, deliveriesText, webhooksText, body, headersText, mode] = process.argv.slice(2);
const url = new URL(target!);
const total = Number(deliveriesText);
const webhooks = Number(webhooksText);
const headers = JSON.parse(headersText!) as Record<string, string>;
const posting = { origin: url.origin, headers, connections: CONNECTIONS };
const threaded = mode === '--threaded';
// Threaded, twice the connections in flight: the pool stays busy while answers cross back.
const mostInFlight = threaded ? 2 * CONNECTIONS : CONNECTIONS;
// tsx's loader does not reach worker threads on Node 20: the worker registers it, then loads.
const senderScript = `import('tsx/esm/api').then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL('./floor-sender.ts', import.meta.url).href)});
});`;
const sender = threaded ? new Worker(senderScript, { eval: true, workerData: posting }) : undefined;

const dir = scratchDir('umhooks-bench-dispatch-floor-');
const db = new Database(path.join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  CREATE TABLE fires (id INTEGER PRIMARY KEY, event TEXT NOT NULL, payload TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE outbox (id INTEGER PRIMARY KEY, fire_id INTEGER NOT NULL, url TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
  CREATE TABLE attempts (id INTEGER PRIMARY KEY, delivery_id INTEGER NOT NULL, status INTEGER NOT NULL,
    at INTEGER NOT NULL, duration_ms REAL NOT NULL);`);
const insertFire = db.prepare('INSERT INTO fires (event, payload, at) VALUES (?, ?, ?)');
const insertDelivery = db.prepare('INSERT INTO outbox (fire_id, url) VALUES (?, ?)');
const claim = db.prepare<[number], Claimed>(
  `UPDATE outbox SET state = 'sending', attempts = attempts + 1
   WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?)
   RETURNING id, url, (SELECT payload FROM fires WHERE fires.id = outbox.fire_id) AS payload`,
);
const insertAttempt = db.prepare(
  'INSERT INTO attempts (delivery_id, status, at, duration_ms) VALUES (?, ?, ?, ?)',
);
const markDone = db.prepare("UPDATE outbox SET state = 'delivered' WHERE id = ?");

const fire = db.transaction((at: number) => {
  const fireId = insertFire.run('payment_received', body!, at).lastInsertRowid;
  for (let i = 0; i < webhooks; i++) insertDelivery.run(fireId, `${url.pathname}/${i}`);
});
let answered: Answered[] = [];
const record = db.transaction((batch: Answered[]) => {
  for (const a of batch) {
    insertAttempt.run(a.id, a.status, a.at, a.duration);
    markDone.run(a.id);
  }
});

let fired = 0;
let recorded = 0;
let inFlight = 0;
let finish: () => void;
const finished = new Promise<void>((resolve) => (finish = resolve));

function flush(): void {
  const batch = answered;
  answered = [];
  record(batch);
  recorded += batch.length;
  if (recorded === total) finish();
  else pump();
}

function onAnswered(attempt: Answered): void {
  inFlight--;
  if (answered.length === 0) setImmediate(flush);
  answered.push(attempt);
}
const poster = threaded ? undefined : createPoster(posting, onAnswered);
sender?.on('message', (batch: Answered[]) => batch.forEach(onAnswered));

function pump(): void {
  if (inFlight >= mostInFlight) return;
  const claimed = claim.all(mostInFlight - inFlight);
  inFlight += claimed.length;
  if (sender) {
    if (claimed.length > 0) sender.postMessage(claimed);
  } else for (const delivery of claimed) void poster!.post(delivery);
}

function fireSome(): void {
  for (let i = 0; i < FIRES_PER_TURN && fired < total; i++, fired += webhooks) fire(Date.now());
  pump();
  if (fired < total) setImmediate(fireSome);
}

const start = performance.now();
fireSome();
await finished;
const seconds = (performance.now() - start) / 1000;
await poster?.close();
await sender?.terminate();
db.close();
console.log(
  JSON.stringify({ deliveries: recorded, seconds, rate: Math.round(recorded / seconds) }),
);
