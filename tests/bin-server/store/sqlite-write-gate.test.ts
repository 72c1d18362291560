import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../../bin-server/src/store/sqlite/checkpointer.js';
import { createGroupCommit } from '../../../bin-server/src/store/sqlite/group-commit.js';
import { createWriteGate } from '../../../bin-server/src/store/sqlite/write-gate.js';
import { createWriteQueue } from '../../../bin-server/src/store/sqlite/write-queue.js';
import { tempDir } from '../../support/server.js';

const dir = tempDir('umhooks-gate-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;

function walDatabase(): { db: Database.Database; file: string } {
  const file = path.join(dir, `gate-${++files}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('journal_size_limit = 0');
  db.exec('CREATE TABLE rows (n INTEGER NOT NULL, data BLOB NOT NULL) STRICT');
  return { db, file };
}

/** Lets this turn's and the next turn's callbacks run. */
const nextTurns = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('write gate', () => {
  it('runs callbacks at once while open, and queued ones in order when it opens', async () => {
    const gate = createWriteGate();
    const calls: string[] = [];
    gate.whenOpen(() => calls.push('open'));
    gate.close();
    gate.whenOpen(() => calls.push('a'));
    const opened = gate.opened().then(() => calls.push('promise'));
    gate.whenOpen(() => calls.push('b'));
    await nextTurns();
    expect(calls).toEqual(['open']);
    gate.open();
    await opened;
    expect(calls).toEqual(['open', 'a', 'b', 'promise']);
    expect(gate.closed).toBe(false);
  });

  it('holds a group commit while shut and writes what it held once it opens', async () => {
    const gate = createWriteGate();
    const batches: number[][] = [];
    const commits = createGroupCommit(
      (items: readonly number[]) => {
        batches.push([...items]);
        return items.map((n) => n * 10);
      },
      2, // rows per transaction at most
      gate,
    );
    gate.close();
    const results = [1, 2, 3].map((n) => commits.submit(n));
    let settled = false;
    void Promise.all(results).then(() => (settled = true));
    await nextTurns();
    expect(batches).toEqual([]);
    expect(settled).toBe(false);
    expect(commits.pending).toBe(3);
    gate.open();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('holds the sandbox write queue while shut', async () => {
    const { db } = walDatabase();
    const gate = createWriteGate();
    const writes = createWriteQueue(db, gate, 1);
    const count = db.prepare('SELECT count(*) FROM rows').pluck();
    gate.close();
    const written = writes.run(() =>
      db.prepare("INSERT INTO rows (n, data) VALUES (1, x'00')").run(),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count.get()).toBe(0);
    gate.open();
    await written;
    expect(count.get()).toBe(1);
    db.close();
  });
});

describe('checkpointer', () => {
  it('restarts a growing WAL behind the gate, without losing a write', async () => {
    const { db, file } = walDatabase();
    const gate = createWriteGate();
    let shut = 0;
    const close = gate.close.bind(gate);
    gate.close = () => {
      shut += 1;
      close();
    };
    // Small thresholds: a restart once the WAL passes 64 pages, checked every 10 ms.
    const checkpointer = startCheckpointer(file, gate, 10, 64);
    const insert = db.prepare('INSERT INTO rows (n, data) VALUES (?, ?)');
    const commits = createGroupCommit(
      (items: readonly number[]) => {
        db.transaction(() => {
          for (const n of items) insert.run(n, Buffer.alloc(2000, n % 256));
        })();
        return [...items];
      },
      64,
      gate,
    );
    const walSize = () => fs.statSync(`${file}-wal`).size;
    let n = 0;
    let largest = 0;
    let shrank = false;
    // Writes keep coming, as under sustained capture, until the WAL has been restarted twice.
    while ((shut < 2 || !shrank) && n < 100_000) {
      await Promise.all(Array.from({ length: 16 }, () => commits.submit(++n)));
      const size = walSize();
      if (size < largest) shrank = true;
      largest = Math.max(largest, size);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await checkpointer.stop();
    expect(shut).toBeGreaterThanOrEqual(2);
    expect(gate.closed).toBe(false);
    expect(db.prepare('SELECT count(*) FROM rows').pluck().get()).toBe(n);
    // Restarted from its beginning (and cut back) rather than grown for as long as writes came.
    expect(shrank).toBe(true);
    db.close();
  });
});
