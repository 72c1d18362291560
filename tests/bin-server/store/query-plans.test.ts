import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import { tempDir } from '../../support/server.js';
import { requestWithId } from './requests.js';

// The SQLite store's query plans, as SQLite chooses them on the real schema: what the scale
// benchmark measures at 1M rows (npm run bench -- scale), caught here in npm test. Every statement
// the store prepares while it captures, lists, searches and claims is recorded, then explained.

const dir = tempDir('umhooks-plans-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Tables that grow with use: a plan must never walk one whole. */
const GROWING = [
  'requests',
  'request_events',
  'requests_search_pending',
  'deliveries',
  'delivery_attempts',
  'payloads',
  'request_replays',
  'request_forwards',
];
/** Full walks allowed, and why. */
const ALLOWED = [
  // The list holds fewer than a batch (32) of rows in the whole file.
  'SCAN requests_search_pending',
  // A partial index: only the deliveries in flight, bounded by the dispatcher's concurrency.
  'SCAN deliveries USING INDEX deliveries_leased',
];

interface Explained {
  sql: string;
  plan: string[];
}

async function explainStore(): Promise<Explained[]> {
  const seen = new Set<string>();
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    seen.add(sql);
    return prepare.call(this, sql);
  } as typeof prepare;
  const file = path.join(dir, `plans-${Math.random().toString(36).slice(2)}.db`);
  try {
    const store = openSqliteStore(file, { indexBatch: 4 });
    const binId = 'plans-bin';
    await store.bins.create({ id: binId, name: 'p', now: 1 });
    for (let n = 0; n < 10; n++) await store.requests.insert(requestWithId(binId, `r-${n}`), 1000);
    for (const q of [
      { limit: 5, includeBody: false },
      { limit: 5, includeBody: true, before: 8 },
      { limit: 5, includeBody: false, q: 'needle' },
      { limit: 5, includeBody: false, q: 'needle', method: 'POST', event: 'payment_received' },
      { limit: 5, includeBody: false, event: 'payment_received' },
    ]) {
      await store.requests.list(binId, q);
    }
    await store.requests.trim(binId, 5);
    await store.deliveries.claim('owner', { now: 1, leaseMs: 1000, limit: 8 });
    await store.deliveries.claim('owner', {
      now: 1,
      leaseMs: 1000,
      limit: 8,
      excludeOrigins: ['http://127.0.0.1:1'],
    });
    try {
      return explain(file, seen);
    } finally {
      await store.close();
    }
  } finally {
    Database.prototype.prepare = prepare;
  }
}

/**
 * Explained on a connection of its own while the store is open: before its close writes the
 * planner's statistics (PRAGMA optimize), which on a file of ten rows would make SQLite plan
 * for ten rows.
 */
function explain(file: string, seen: Set<string>): Explained[] {
  const db = new Database(file, { readonly: true });
  try {
    return [...seen].flatMap((sql) => {
      // Set-up and the data-file lock's own table (another file) have no plan worth checking.
      if (/^\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK)|\bowner\s*\(/i.test(sql)) return [];
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const named = [...sql.matchAll(/@([A-Za-z_]\w*)/g)].map((m) => m[1]!);
      const rows = (
        named.length > 0
          ? explain.all(Object.fromEntries(named.map((name) => [name, null])))
          : explain.all(...Array<null>((sql.match(/\?/g) ?? []).length).fill(null))
      ) as Array<{ detail: string }>;
      return [{ sql: sql.replace(/\s+/g, ' ').trim(), plan: rows.map((row) => row.detail) }];
    });
  } finally {
    db.close();
  }
}

describe('SQLite query plans', () => {
  it('never walk a growing table whole, and search the pending list and the index first', async () => {
    const explained = await explainStore();
    expect(explained.length).toBeGreaterThan(40);
    const walks = explained.flatMap(({ sql, plan }) =>
      plan
        .filter((step) => GROWING.some((table) => new RegExp(`^SCAN ${table}\\b`).test(step)))
        .filter((step) => !ALLOWED.includes(step))
        .map((step) => `${step} <= ${sql}`),
    );
    expect(walks).toEqual([]);

    // A search reads the pending list (tiny), then the FTS5 index, and looks each hit up by
    // rowid; never the bin's rows by requests_bin_seq for the order (a fault the scale benchmark
    // caught once: 13 ms instead of 2 at 100k).
    const searches = explained.filter(({ sql }) =>
      /requests_search(_pending)? (CROSS )?JOIN/.test(sql),
    );
    expect(searches.length).toBeGreaterThanOrEqual(2);
    for (const { plan } of searches) {
      expect(plan[0]).toMatch(/^SCAN requests_search(_pending\b| VIRTUAL TABLE)/);
      expect(plan.some((step) => /^SEARCH requests USING INTEGER PRIMARY KEY/.test(step))).toBe(
        true,
      );
    }
  });
});
