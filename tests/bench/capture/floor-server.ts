// Floor (f) of the capture benchmark: the least any durable capture on Node does. node:http reads
// the body, the request joins this event-loop turn's batch, the batch is written in one SQLite
// transaction (better-sqlite3, WAL, synchronous=NORMAL as umhooks' store) storing the columns
// umhooks stores — method, path, query, raw headers, body, time — and each answer goes out after
// the commit. No recognition, no live push, no eviction: what umhooks adds is measured against it.
// With `--search-index` it is (i), the floor of a capture that can also be searched by substring:
// the same transaction also writes each request's text, as umhooks indexes it (searchText: request
// line, header lines, body, lower-cased), into an FTS5 trigram index (contentless, rowids only,
// FTS5's default merging) — the kind of index #16 asks for and umhooks keeps, written the plain
// way.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { searchText } from '../../../bin-server/src/store/search.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-bench-floor-'));
const db = new Database(path.join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE requests (
  seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  query TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL)`);
const insert = db.prepare(
  'INSERT INTO requests (received_at, method, path, query, headers, body) VALUES (?, ?, ?, ?, ?, ?)',
);
const indexed = process.argv.includes('--search-index');
if (indexed) {
  db.exec(`CREATE VIRTUAL TABLE requests_search USING fts5 (
    text, tokenize = 'trigram case_sensitive 1', content = '', detail = none)`);
}
const index = indexed
  ? db.prepare('INSERT INTO requests_search (rowid, text) VALUES (?, ?)')
  : undefined;

interface Pending {
  receivedAt: number;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: Buffer;
}
let batch: Pending[] = [];
const writeBatch = db.transaction((rows: Pending[]) => {
  for (const { receivedAt, req, body } of rows) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const method = req.method ?? 'GET';
    const target = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const { rawHeaders } = req;
    const { lastInsertRowid } = insert.run(
      receivedAt,
      method,
      target,
      query,
      JSON.stringify(rawHeaders),
      body,
    );
    // The text umhooks indexes, made by umhooks' own function.
    index?.run(lastInsertRowid, searchText({ method, path: target, query, rawHeaders, body }));
  }
});

function flush(): void {
  const rows = batch;
  batch = [];
  writeBatch(rows);
  for (const { res, body } of rows) {
    const answer = JSON.stringify({ ok: true, size: body.length });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
    });
    res.end(answer);
  }
}

const server = http.createServer((req, res) => {
  const receivedAt = Date.now();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (batch.length === 0) setImmediate(flush);
    batch.push({ receivedAt, req, res, body: Buffer.concat(chunks) });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () =>
  server.close(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
