// Durable floor (f) of the dispatch benchmark, in its own process: the least a durable sender does
// around each send. A SQLite outbox (better-sqlite3, WAL, synchronous=NORMAL as umhooks' store):
// each fire inserts one row per webhook in one transaction; the sender claims pending rows in one
// statement, posts each as the client ceiling does (undici Pool, 32 connections, the same signed
// body), and the attempts answered in one event-loop turn are recorded — one attempt row each,
// the delivery marked done — in one transaction. Usage: floor.ts <url> <deliveries> <webhooks>
// <body> <headers JSON>; prints {deliveries, seconds, rate} as JSON, from the first fire to the
// last recorded attempt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';

const CONNECTIONS = 32;
/** Fires queued per event-loop turn while the sender works, as the fire API's callers do. */
const FIRES_PER_TURN = 1;

const [target, deliveriesText, webhooksText, body, headersText] = process.argv.slice(2);
const url = new URL(target!);
const total = Number(deliveriesText);
const webhooks = Number(webhooksText);
const headers = JSON.parse(headersText!) as Record<string, string>;
const pool = new Pool(url.origin, { connections: CONNECTIONS });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-bench-dispatch-floor-'));
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
const claim = db.prepare<[number], { id: number; url: string; payload: string }>(
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
interface Attempt {
  id: number;
  status: number;
  at: number;
  duration: number;
}
let answered: Attempt[] = [];
const record = db.transaction((batch: Attempt[]) => {
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

async function send(delivery: { id: number; url: string; payload: string }): Promise<void> {
  const started = performance.now();
  const res = await pool.request({
    path: delivery.url,
    method: 'POST',
    headers: { ...headers, 'webhook-id': `msg_floor_${delivery.id}` },
    body: delivery.payload,
  });
  await res.body.dump();
  inFlight--;
  if (answered.length === 0) setImmediate(flush);
  answered.push({
    id: delivery.id,
    status: res.statusCode,
    at: Date.now(),
    duration: performance.now() - started,
  });
}

function pump(): void {
  if (inFlight >= CONNECTIONS) return;
  for (const delivery of claim.all(CONNECTIONS - inFlight)) {
    inFlight++;
    void send(delivery);
  }
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
await pool.close();
db.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({ deliveries: recorded, seconds, rate: Math.round(recorded / seconds) }),
);
