import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { clientUrl } from '../../../bin-server/src/store/postgres/connection.js';
import { openPostgresStore } from '../../../bin-server/src/store/postgres/store.js';
import { unlimited } from '../../../bin-server/src/store/search.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type {
  CapturedRequest,
  Recognition,
  RequestQuery,
  Store,
} from '../../../bin-server/src/store/types.js';
import { dropSchemas, hasPostgres, sql, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { tempDir } from '../../support/server.js';
import { fts5Levels } from '../../support/fts5.js';
import { requestWithId } from './requests.js';

// The text search index (SQLite FTS5 trigrams, PostgreSQL pg_trgm) answers exactly what the
// budgeted scan answers without it, on random requests and needles, and forgets requests however
// they go. Each driver runs it against itself with the index turned off.

const dir = tempDir('umhooks-search-');
const schemas = new Set<string>();
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

interface Pair {
  /** Searches by the index. */
  indexed: Store;
  /** The same requests, searched by scanning every row (no budget). */
  scan: Store;
  /** Whether both are the same data (one insert serves both). */
  shared: boolean;
  /**
   * How many index entries hold `trigram` (the index itself, not the search; on SQLite with the
   * requests still on its pending list).
   */
  indexEntries(trigram: string): Promise<number>;
  close(): Promise<void>;
}

const drivers: Array<{ name: string; run: boolean; open(): Promise<Pair> }> = [
  // Rows wait on the pending list and enter the index 32 at a time: searches read both.
  { name: 'SQLite', run: true, open: sqlitePair() },
  { name: 'SQLite, every commit indexed', run: true, open: sqlitePair(1) },
  // A probe of one row: searches go on by the index at once, also on a small corpus.
  { name: 'PostgreSQL', run: hasPostgres, open: postgresPair({ rows: 1, bytes: Infinity }) },
  // A probe that fills some pages itself, and stops at its byte budget inside others.
  {
    name: 'PostgreSQL, a probe of 5 rows and 40 bytes',
    run: hasPostgres,
    open: postgresPair({ rows: 5, bytes: 40 }),
  },
];

function sqlitePair(indexBatch?: number): () => Promise<Pair> {
  return async () => {
    const file = path.join(dir, `search-${Math.random().toString(36).slice(2)}.db`);
    const indexed = openSqliteStore(file, { indexBatch });
    const scan = openSqliteStore(':memory:', { searchIndex: false, search: unlimited });
    const reader = new Database(file, { readonly: true });
    const count = reader
      .prepare<[string, string], number>(
        `SELECT (SELECT count(*) FROM requests_search WHERE requests_search MATCH ?)
              + (SELECT count(*) FROM requests_search_pending
                 JOIN requests ON requests.rowid = request_rowid
                 WHERE instr(lower(CAST(body AS TEXT)), ?) > 0)`,
      )
      .pluck();
    return {
      indexed,
      scan,
      shared: false,
      indexEntries: async (trigram) => count.get(`"${trigram}"`, trigram)!,
      async close() {
        reader.close();
        await Promise.all([indexed.close(), scan.close()]);
      },
    };
  };
}

function postgresPair(searchProbe: { rows: number; bytes: number }): () => Promise<Pair> {
  return async () => {
    const schema = uniqueSchema('umhooks_search');
    schemas.add(schema);
    const url = storeUrl(schema);
    const indexed = await openPostgresStore(url, { searchProbe });
    const scan = await openPostgresStore(url, { searchIndex: false, search: unlimited });
    return {
      indexed,
      scan,
      shared: true,
      async indexEntries(trigram) {
        const rows = await sql<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.requests WHERE search LIKE $1`,
          [`%${trigram}%`],
        );
        return Number(rows[0]!.n);
      },
      close: () => Promise.all([indexed.close(), scan.close()]).then(() => {}),
    };
  };
}

/** Characters where lower-casing, percent-decoding, UTF-8 and trigrams have their edge cases. */
const letter = fc.constantFrom(
  ...['a', 'B', 'c', 'x', 'Y', ' ', '%', '+', '2', '0', '4', '1', '=', '&', '/', '"', '\n'],
  ...['é', 'É', 'İ', 'Σ', 'ß', 'ǅ', 'ﬃ', '😀', '\u00ff', '\u0130'],
);
const text = fc.string({ unit: letter, maxLength: 16 });
const bodyText = fc.string({ unit: fc.oneof(letter, fc.constant('\u0000')), maxLength: 24 });

interface Sample {
  method: string;
  path: string;
  query: string;
  rawHeaders: string[];
  body: Buffer;
  event: string | undefined;
}

const sample: fc.Arbitrary<Sample> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc.oneof(text, text.map(encodeURIComponent)).map((t) => `/${t}`),
  // Percent-encoded and form-encoded: searched decoded too.
  query: fc.oneof(
    text,
    text.map(encodeURIComponent),
    text.map((t) => encodeURIComponent(t).replace(/%20/g, '+')),
  ),
  rawHeaders: fc
    .array(fc.tuple(fc.constantFrom('Content-Type', 'X-Signature', 'User-Agent'), text), {
      maxLength: 3,
    })
    .map((pairs) => pairs.flat()),
  body: fc.oneof(
    bodyText.map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
    // Text cut inside a character, and Latin-1: not UTF-8.
    bodyText.map((t) => Buffer.from(t).subarray(1)),
    bodyText.map((t) => Buffer.from(t, 'latin1')),
  ),
  event: fc.constantFrom(undefined, 'payment_received', 'site_published'),
});

/** Where a needle comes from: a piece of a stored request's text, or anything. */
type NeedleSource =
  | { request: number; field: number; from: number; length: number; upper: boolean }
  | { free: string };
const needleSource: fc.Arbitrary<NeedleSource> = fc.oneof(
  fc.record({
    request: fc.nat(),
    field: fc.nat(),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 9 }),
    upper: fc.boolean(),
  }),
  text.map((free) => ({ free })),
);

const searchOptions = fc.record({
  limit: fc.constantFrom(1, 2, 3, 50),
  // Mostly unfiltered: with a filter, most needles find nothing either way.
  method: fc.constantFrom(undefined, undefined, undefined, 'POST', 'get'),
  event: fc.constantFrom(undefined, undefined, undefined, 'payment_received'),
});

function recognized(event: string): Recognition {
  return {
    expected: undefined,
    candidates: [{ event, score: 1, missing: [], extra: [], tie: false }],
    checkedEvent: event,
    issues: [],
  };
}

function needleOf(source: NeedleSource, requests: Sample[]): string {
  if ('free' in source) return source.free;
  const request = requests[source.request % requests.length]!;
  const target = `${request.path}?${request.query}`;
  const fields = [`${request.method} ${target}`, decodeURIComponentSafe(target)];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    fields.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  }
  fields.push(new TextDecoder().decode(request.body));
  const chars = [...fields[source.field % fields.length]!];
  const from = chars.length === 0 ? 0 : source.from % chars.length;
  const piece = chars.slice(from, from + source.length).join('');
  return source.upper ? piece.toUpperCase() : piece;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Every page of a search, following the cursor: the ids in order. */
async function allPages(store: Store, binId: string, query: RequestQuery): Promise<string[]> {
  const ids: string[] = [];
  let before: number | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const page = await store.requests.list(binId, { ...query, before });
    ids.push(...page.items.map((r) => r.id));
    before = page.nextBefore;
    if (before === undefined) return ids;
  }
  throw new Error('the search did not end within 200 pages');
}

let bins = 0;

describe.each(drivers)('text search index: $name', ({ run, open }) => {
  it.runIf(run)(
    'finds exactly what a scan of every row finds, on random requests and needles',
    async () => {
      const pair = await open();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(sample, { minLength: 1, maxLength: 25 }),
            fc.array(fc.nat(), { maxLength: 4 }),
            fc.array(fc.tuple(needleSource, searchOptions), { minLength: 1, maxLength: 8 }),
            async (samples, deletions, searches) => {
              const binId = `search-${process.pid}-${++bins}`;
              const stores = pair.shared ? [pair.indexed] : [pair.indexed, pair.scan];
              const stored: CapturedRequest[] = [];
              for (const store of stores) {
                await store.bins.create({ id: binId, name: 's', now: 1 });
              }
              for (const [i, s] of samples.entries()) {
                const request = {
                  id: `req_${binId}_${i}`,
                  binId,
                  receivedAt: 1_700_000_000_000 + i,
                  method: s.method,
                  path: s.path,
                  query: s.query,
                  rawHeaders: s.rawHeaders,
                  body: s.body,
                  remoteAddress: '127.0.0.1',
                  recognition: s.event === undefined ? undefined : recognized(s.event),
                };
                for (const store of stores) stored[i] = await store.requests.insert(request, 1000);
              }
              for (const d of deletions) {
                for (const store of stores) {
                  await store.requests.delete(binId, stored[d % stored.length]!.id);
                }
              }
              for (const [source, options] of searches) {
                const q = needleOf(source, samples);
                const query = { includeBody: false, q, ...options };
                const byIndex = await pair.indexed.requests.list(binId, query);
                const byScan = await pair.scan.requests.list(binId, query);
                expect(
                  byIndex.items.map((r) => r.id),
                  JSON.stringify(q),
                ).toEqual(byScan.items.map((r) => r.id));
                expect(await allPages(pair.indexed, binId, query), JSON.stringify(q)).toEqual(
                  await allPages(pair.scan, binId, query),
                );
              }
            },
          ),
          { numRuns: 40, interruptAfterTimeLimit: 60_000 },
        );
      } finally {
        await pair.close();
      }
    },
    120_000,
  );

  it.runIf(run)(
    "finds a bin's few matches of a needle that another bin holds many times",
    async () => {
      // The index is asked for this bin's matches, not every match of the table cut to the bin
      // afterwards: the answer is the same either way, and stays complete and paged.
      const pair = await open();
      const { indexed: store } = pair;
      try {
        const crowded = `crowded-${process.pid}-${++bins}`;
        const sparse = `sparse-${process.pid}-${++bins}`;
        const put = (
          binId: string,
          i: number,
          body: string,
          method = 'POST',
          event?: string,
        ): Promise<CapturedRequest> =>
          store.requests.insert(
            {
              ...requestWithId(binId, `req_${binId}_${i}`),
              method,
              path: `/hooks/${i}`,
              body: Buffer.from(body),
              recognition: event === undefined ? undefined : recognized(event),
            },
            1000,
          );
        await store.bins.create({ id: crowded, name: 'c', now: 1 });
        await store.bins.create({ id: sparse, name: 's', now: 1 });
        for (let i = 0; i < 150; i++) {
          await put(
            crowded,
            i,
            `{"note":"Kestrel-${i}"}`,
            i % 2 ? 'PUT' : 'POST',
            'payment_received',
          );
        }
        const wanted: string[] = [];
        for (let i = 0; i < 40; i++) {
          const match = i === 7 || i === 29;
          const request = await put(
            sparse,
            i,
            match ? `{"note":"a KESTREL here ${i}"}` : `{"note":"sparrow-${i}"}`,
            i === 29 ? 'PUT' : 'POST',
            i === 7 ? 'payment_received' : undefined,
          );
          if (match) wanted.unshift(request.id);
        }
        const ids = async (binId: string, query: Omit<RequestQuery, 'includeBody'>) => {
          const page = await store.requests.list(binId, { includeBody: false, ...query });
          return { ids: page.items.map((r) => r.id), next: page.nextBefore };
        };
        expect(await ids(sparse, { limit: 50, q: 'kestrel' })).toEqual({
          ids: wanted,
          next: undefined,
        });
        // One a page: each found once, in order, and the last page says it is the last.
        const first = await ids(sparse, { limit: 1, q: 'kestrel' });
        expect(first.ids).toEqual([wanted[0]]);
        expect(first.next).toBeDefined();
        expect(await ids(sparse, { limit: 1, q: 'kestrel', before: first.next })).toEqual({
          ids: [wanted[1]],
          next: undefined,
        });
        expect(
          await allPages(store, sparse, { limit: 1, includeBody: false, q: 'kestrel' }),
        ).toEqual(wanted);
        // With the filters the other bin's matches also pass.
        expect(await ids(sparse, { limit: 50, q: 'kestrel', method: 'PUT' })).toEqual({
          ids: [wanted[0]],
          next: undefined,
        });
        expect(await ids(sparse, { limit: 50, q: 'kestrel', event: 'payment_received' })).toEqual({
          ids: [wanted[1]],
          next: undefined,
        });
        // And the crowded bin still finds all of its own.
        const all = await allPages(store, crowded, { limit: 50, includeBody: false, q: 'kestrel' });
        expect(all).toHaveLength(150);
        expect(all[0]).toBe(`req_${crowded}_149`);
      } finally {
        await pair.close();
      }
    },
  );

  it.runIf(run)('forgets requests evicted, deleted, cleared or gone with their bin', async () => {
    const pair = await open();
    const { indexed: store } = pair;
    try {
      const binId = `forget-${process.pid}-${++bins}`;
      await store.bins.create({ id: binId, name: 'f', now: 1 });
      const put = (body: string, bin = binId) =>
        store.requests.insert(
          {
            id: `req_${bin}_${body.replace(/\W/g, '_')}`,
            binId: bin,
            receivedAt: 1,
            method: 'POST',
            path: '/',
            query: '',
            rawHeaders: [],
            body: Buffer.from(body),
            remoteAddress: '127.0.0.1',
            recognition: undefined,
          },
          3,
        );
      const found = async (q: string, bin = binId) =>
        (await store.requests.list(bin, { limit: 50, includeBody: true, q })).items.map((r) =>
          Buffer.from(r.body!).toString(),
        );
      for (let i = 1; i <= 5; i++) await put(`zebra-${i}`);
      // A ring of three: the two oldest were evicted with their index entries.
      expect(await found('ZEBRA')).toEqual(['zebra-5', 'zebra-4', 'zebra-3']);
      expect(await pair.indexEntries('zeb')).toBe(3);
      const [newest] = (await store.requests.list(binId, { limit: 1, includeBody: false })).items;
      await store.requests.delete(binId, newest!.id);
      expect(await found('zebra')).toEqual(['zebra-4', 'zebra-3']);
      expect(await pair.indexEntries('zeb')).toBe(2);
      // Another bin's requests stay indexed when a bin is cleared or deleted.
      const otherId = `${binId}-other`;
      await store.bins.create({ id: otherId, name: 'o', now: 1 });
      await put('zebra-kept', otherId);
      await store.requests.clear(binId);
      expect(await found('zebra')).toEqual([]);
      expect(await pair.indexEntries('zeb')).toBe(1);
      expect(await found('zebra', otherId)).toEqual(['zebra-kept']);

      // New rows may take the rowids of deleted ones: nothing of the old text is left on them.
      await put('okapi-1');
      await put('okapi-2');
      expect(await found('zebra')).toEqual([]);
      expect(await found('okapi')).toEqual(['okapi-2', 'okapi-1']);
      expect(await pair.indexEntries('oka')).toBe(2);
      await store.bins.delete(binId);
      expect(await pair.indexEntries('oka')).toBe(0);
      expect(await found('zebra', otherId)).toEqual(['zebra-kept']);

      // The last bin with requests cleared (SQLite empties the index in one step), then reused.
      await store.requests.clear(otherId);
      expect(await pair.indexEntries('zeb')).toBe(0);
      expect(await found('zebra', otherId)).toEqual([]);
      await put('okapi-3', otherId);
      expect(await found('okapi', otherId)).toEqual(['okapi-3']);
      expect(await pair.indexEntries('oka')).toBe(1);
    } finally {
      await pair.close();
    }
  });
});

describe.runIf(hasPostgres)('text search without pg_trgm (PostgreSQL)', () => {
  it('warns with what to run, and searches by the scan', async () => {
    // A database without the extension, and a user that may not create it there.
    const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const database = `umhooks_notrgm_${suffix}`;
    const role = `umhooks_notrgm_${suffix}`;
    await sql(`CREATE DATABASE ${database}`);
    await sql(`CREATE ROLE ${role} LOGIN`);
    try {
      const url = new URL(storeUrl('umhooks'));
      url.pathname = `/${database}`;
      // The store's schema is made for it beforehand; it has no right to create anything else
      // in the database (an extension included).
      const admin = new pg.Client({ connectionString: clientUrl(url.toString()) });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA umhooks AUTHORIZATION ${role}`);
      } finally {
        await admin.end();
      }
      url.username = role;
      const logged: string[] = [];
      const store = await openPostgresStore(url.toString(), { log: (m) => logged.push(m) });
      try {
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain('CREATE EXTENSION pg_trgm SCHEMA public');
        await store.bins.create({ id: 'plain', name: 'p', now: 1 });
        for (const body of ['first zebra', 'second okapi']) {
          await store.requests.insert(
            {
              id: `req_${body.replace(' ', '_')}`,
              binId: 'plain',
              receivedAt: 1,
              method: 'POST',
              path: '/',
              query: '',
              rawHeaders: [],
              body: Buffer.from(body),
              remoteAddress: '127.0.0.1',
              recognition: undefined,
            },
            10,
          );
        }
        const page = await store.requests.list('plain', {
          limit: 10,
          includeBody: false,
          q: 'ZEBRA',
        });
        expect(page.items.map((r) => r.id)).toEqual(['req_first_zebra']);
      } finally {
        await store.close();
      }
    } finally {
      await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await sql(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});

describe('text search index: the SQLite pending list', () => {
  it('finds requests still pending, across restarts, and moves them into the index a batch at a time', async () => {
    const file = path.join(dir, `pending-${Math.random().toString(36).slice(2)}.db`);
    const reader = () => new Database(file, { readonly: true });
    const counts = () => {
      const db = reader();
      try {
        return {
          indexed: db
            .prepare('SELECT count(*) FROM requests_search WHERE requests_search MATCH \'"her"\'')
            .pluck()
            .get(),
          pending: db.prepare('SELECT count(*) FROM requests_search_pending').pluck().get(),
        };
      } finally {
        db.close();
      }
    };
    const binId = `pending-${process.pid}`;
    let store = openSqliteStore(file, { indexBatch: 4 });
    const put = (n: number) =>
      store.requests.insert(
        { ...requestWithId(binId, `heron-${n}`), body: Buffer.from(`{"bird":"Heron-${n}"}`) },
        1000,
      );
    const ids = async (limit: number) => {
      const query = { includeBody: false, q: 'HERON', limit };
      return allPages(store, binId, query);
    };
    try {
      await store.bins.create({ id: binId, name: 'p', now: 1 });
      for (const n of [1, 2, 3]) await put(n);
      expect(counts()).toEqual({ indexed: 0, pending: 3 });
      expect(await ids(50)).toEqual(['heron-3', 'heron-2', 'heron-1']);
      // A pending request deleted leaves the list, and never enters the index.
      await store.requests.delete(binId, 'heron-2');
      expect(counts()).toEqual({ indexed: 0, pending: 2 });
      await store.close();

      // The list is in the data file: still found after a restart, then indexed with the batch.
      store = openSqliteStore(file, { indexBatch: 4 });
      expect(await ids(50)).toEqual(['heron-3', 'heron-1']);
      await put(4);
      await upkeep();
      expect(counts()).toEqual({ indexed: 0, pending: 3 });
      // The commit that fills the batch leaves the move to a step of its own, right after it.
      await put(5);
      expect(counts()).toEqual({ indexed: 0, pending: 4 });
      await upkeep();
      expect(counts()).toEqual({ indexed: 4, pending: 0 });
      await put(6);
      await upkeep();
      expect(counts()).toEqual({ indexed: 4, pending: 1 });
      // Newest first across both, also when a page ends between the list and the index.
      const all = ['heron-6', 'heron-5', 'heron-4', 'heron-3', 'heron-1'];
      expect(await ids(50)).toEqual(all);
      expect(await ids(1)).toEqual(all);
      expect(await ids(2)).toEqual(all);
      // An indexed request deleted leaves the index.
      await store.requests.delete(binId, 'heron-4');
      expect(counts()).toEqual({ indexed: 3, pending: 1 });
      expect(await ids(2)).toEqual(['heron-6', 'heron-5', 'heron-3', 'heron-1']);
    } finally {
      await store.close();
    }
  });
});

describe('text search index: SQLite merges', () => {
  it('are the store’s: steps after each move, so no level piles up segments', async () => {
    const file = path.join(dir, `merges-${Math.random().toString(36).slice(2)}.db`);
    const binId = `merges-${process.pid}`;
    // Every commit moves its one request: a new level-0 segment each time.
    const store = openSqliteStore(file, { indexBatch: 1 });
    try {
      await store.bins.create({ id: binId, name: 'm', now: 1 });
      for (let n = 0; n < 30; n++) {
        await store.requests.insert(
          { ...requestWithId(binId, `r-${n}`), body: Buffer.from(`{"n":"${n}-${'x'.repeat(n)}"}`) },
          1000,
        );
      }
      await upkeep();
      const db = new Database(file, { readonly: true });
      try {
        const config = db
          .prepare<[], [string, number]>('SELECT k, v FROM requests_search_config')
          .raw()
          .all();
        expect(Object.fromEntries(config)).toMatchObject({ automerge: 0, usermerge: 16 });
        // With automerge off and no steps, FTS5 would leave all 30 segments on level 0 (it merges
        // a level by itself only at crisismerge, 32); the steps start merging a level at 16.
        const levels = fts5Levels(db, 'requests_search');
        expect(levels.length).toBeGreaterThan(1);
        for (const level of levels) expect(level.segments).toBeLessThanOrEqual(16);
      } finally {
        db.close();
      }
      const found = await allPages(store, binId, { includeBody: false, q: '29-x', limit: 50 });
      expect(found).toEqual(['r-29']);
    } finally {
      await store.close();
    }
  });
});

describe('text search index: SQLite merges under sustained load', () => {
  it('keep up when a batch is due at every turn: no level piles up to FTS5’s crisis merge', async () => {
    const file = path.join(dir, `sustained-${Math.random().toString(36).slice(2)}.db`);
    const binId = `sustained-${process.pid}`;
    // A batch of one, and a commit every turn: a move is due at every step of the upkeep. When
    // moves always went first, no merge ever ran; level 0 grew to 32 segments and FTS5 merged it
    // inside a move (a crisis merge, 0.5 s a time with 100,000 requests stored).
    const store = openSqliteStore(file, { indexBatch: 1 });
    let reader: Database.Database | undefined;
    try {
      await store.bins.create({ id: binId, name: 's', now: 1 });
      let most = 0;
      for (let n = 0; n < 200; n++) {
        await store.requests.insert(
          { ...requestWithId(binId, `s-${n}`), body: Buffer.from(`{"n":"${n}"}`) },
          1000,
        );
        reader ??= new Database(file, { readonly: true });
        for (const level of fts5Levels(reader, 'requests_search')) {
          most = Math.max(most, level.segments);
        }
      }
      // The steps merge a level once 16 segments wait; a few more may come while one merges.
      expect(most).toBeGreaterThanOrEqual(16);
      expect(most).toBeLessThanOrEqual(24);
      const found = await allPages(store, binId, { includeBody: false, q: '"n":"123"', limit: 50 });
      expect(found).toEqual(['s-123']);
    } finally {
      reader?.close();
      await store.close();
    }
  });
});

/** Lets the store's index upkeep run: its steps come a turn of the event loop after commits. */
async function upkeep(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}
