import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../bin-server/src/config.js';
import { migrations } from '../../../bin-server/src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import { openStore } from '../../../bin-server/src/store/open.js';
import { tempDir } from '../../support/server.js';
import { defineStoreContract } from './contract.js';
import { requestWithId } from './requests.js';

const dir = tempDir('umhooks-store-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextFile = () => path.join(dir, `store-${++files}.db`);

defineStoreContract('SQLite file', async () => openSqliteStore(nextFile()));
defineStoreContract('SQLite in memory', async () => openSqliteStore(':memory:'));

describe('SQLite store specifics', () => {
  it('an insert resolves only once its row is committed (another connection sees it)', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.bins.create({ id: 'durable', name: 'd', now: 1 });
    const reader = new Database(file, { readonly: true });
    try {
      const count = reader.prepare('SELECT count(*) FROM requests WHERE id = ?').pluck();
      const pending = store.requests.insert(requestWithId('durable', 'req_a'), 10);
      // Not yet written: the batch waits for the end of this turn of the event loop.
      expect(count.get('req_a')).toBe(0);
      await pending;
      expect(count.get('req_a')).toBe(1);
    } finally {
      reader.close();
      await store.close();
    }
  });

  it('close writes inserts still waiting for their batch, and the data survives a reopen', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.bins.create({ id: 'reopen', name: 'r', now: 1 });
    const pending = [1, 2, 3].map((i) =>
      store.requests.insert(requestWithId('reopen', `req_${i}`), 10),
    );
    await store.close();
    await Promise.all(pending);
    const again = openSqliteStore(file);
    try {
      const page = await again.requests.list('reopen', { limit: 10, includeBody: true });
      expect(page.items.map((r) => Buffer.from(r.body!).toString())).toEqual([
        'req_3',
        'req_2',
        'req_1',
      ]);
      expect((await again.bins.get('reopen'))?.requestCount).toBe(3);
    } finally {
      await again.close();
    }
  });

  it('runs in WAL mode with synchronous=FULL and records its migrations', async () => {
    const file = nextFile();
    await openSqliteStore(file).close();
    await openSqliteStore(file).close(); // a second open applies nothing twice
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck();
      expect(versions.all()).toEqual(migrations.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it('lets one store at a time use a data file, and the next one in after close', async () => {
    const file = nextFile();
    const first = openSqliteStore(file);
    expect(() => openSqliteStore(file)).toThrow(
      new RegExp(`is in use by another umhooks \\(pid ${process.pid} on `),
    );
    await first.close();
    await openSqliteStore(file).close();
  });

  it('refuses a data file written by a newer umhooks', async () => {
    const file = nextFile();
    await openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run(
      'from the future',
    );
    db.close();
    expect(() => openSqliteStore(file)).toThrow(
      /was written by a newer umhooks \(schema 999; this one knows up to \d+\)/,
    );
  });
});

describe('openStore', () => {
  it('opens a SQLite file, creating its directory', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'data.db');
    const store = await openStore(resolveConfig({ data: file }));
    expect(store.kind).toBe('sqlite');
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('puts umhooks.db inside a --data that is a directory', async () => {
    const folder = path.join(dir, 'as-directory');
    fs.mkdirSync(folder);
    const store = await openStore(resolveConfig({ data: folder }));
    await store.close();
    expect(fs.existsSync(path.join(folder, 'umhooks.db'))).toBe(true);
  });

  it('opens an in-memory store for --memory', async () => {
    const store = await openStore(
      resolveConfig({ memory: true, data: path.join(dir, 'unused.db') }),
    );
    expect(store.kind).toBe('memory');
    await store.close();
    expect(fs.existsSync(path.join(dir, 'unused.db'))).toBe(false);
  });

  it('refuses a --store that is not a store URL (postgres:// is tested in postgres.test.ts)', async () => {
    await expect(openStore(resolveConfig({ store: 'mysql://x' }))).rejects.toThrow(
      /not a store URL/,
    );
  });
});
