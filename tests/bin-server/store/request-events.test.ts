import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../bin-server/src/store/postgres/store.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type {
  CapturedRequest,
  Recognition,
  RequestQuery,
  Store,
} from '../../../bin-server/src/store/types.js';
import { dropSchemas, hasPostgres, sql, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { tempDir } from '../../support/server.js';
import { requestWithId } from './requests.js';

// event= reads request_events (one row per event id of a request) on both drivers: the same
// requests as the events column's ' a b ' match gave, alone and with the method and a text
// search, page after page; and the rows go with their request however it goes.

const dir = tempDir('umhooks-events-');
const schemas = new Set<string>();
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

interface Opened {
  store: Store;
  /** request_events rows of a bin. */
  eventRows(binId: string): Promise<number>;
  close(): Promise<void>;
}

const drivers: Array<{ name: string; run: boolean; open(): Promise<Opened> }> = [
  {
    name: 'SQLite',
    run: true,
    async open() {
      const file = path.join(dir, `events-${Math.random().toString(36).slice(2)}.db`);
      const store = openSqliteStore(file);
      const reader = new Database(file, { readonly: true });
      const count = reader
        .prepare<[string], number>('SELECT count(*) FROM request_events WHERE bin_id = ?')
        .pluck();
      return {
        store,
        eventRows: async (binId) => count.get(binId)!,
        async close() {
          reader.close();
          await store.close();
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    run: hasPostgres,
    async open() {
      const schema = uniqueSchema('umhooks_events');
      schemas.add(schema);
      const store = await openPostgresStore(storeUrl(schema));
      return {
        store,
        async eventRows(binId) {
          const rows = await sql<{ n: string }>(
            `SELECT count(*) AS n FROM ${schema}.request_events WHERE bin_id = $1`,
            [binId],
          );
          return Number(rows[0]!.n);
        },
        close: () => store.close(),
      };
    },
  },
];

const events = ['payment_received', 'site_published', 'membership_expired'];

/** A recognition whose event= ids are `checked` and the tied best candidates in `best`. */
function recognition(checked: string | undefined, best: string[]): Recognition {
  return {
    expected: undefined,
    candidates: [
      ...best.map((event) => ({ event, score: 2, missing: [], extra: [], tie: best.length > 1 })),
      // A lower score: not an id event= matches.
      { event: 'domain_mapped', score: 1, missing: [], extra: [], tie: false },
    ],
    checkedEvent: checked,
    issues: [],
  };
}

interface Sample {
  method: 'GET' | 'POST';
  body: string;
  recognition: Recognition | undefined;
}

const sample: fc.Arbitrary<Sample> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  body: fc.constantFrom('alpha', 'bravo', 'alpha bravo', ''),
  recognition: fc.oneof(
    fc.constant(undefined),
    fc
      .tuple(
        fc.option(fc.constantFrom(...events), { nil: undefined }),
        fc.subarray(events, { maxLength: 2 }),
      )
      .map(([checked, best]) => recognition(checked, best)),
  ),
});

/** The ids the events column held (' a b '), which event= matched before request_events. */
function eventsColumn(r: Recognition | undefined): string {
  if (!r) return '';
  const ids = new Set<string>();
  if (r.checkedEvent) ids.add(r.checkedEvent);
  const best = r.candidates[0]?.score;
  for (const c of r.candidates) if (c.score === best) ids.add(c.event);
  return ids.size === 0 ? '' : ` ${[...ids].join(' ')} `;
}

/** Every page of a listing, following the cursor: the ids in order. */
async function allPages(store: Store, binId: string, query: RequestQuery): Promise<string[]> {
  const ids: string[] = [];
  let before: number | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const page = await store.requests.list(binId, { ...query, before });
    ids.push(...page.items.map((r) => r.id));
    before = page.nextBefore;
    if (before === undefined) return ids;
  }
  throw new Error('the listing did not end within 200 pages');
}

let bins = 0;

describe.each(drivers)('event= by request_events: $name', ({ run, open }) => {
  it.runIf(run)(
    'lists what the events column matched, alone and with other filters, on random requests',
    async () => {
      const { store, eventRows, close } = await open();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(sample, { minLength: 1, maxLength: 30 }),
            fc.integer({ min: 3, max: 40 }),
            fc.array(fc.nat(), { maxLength: 4 }),
            fc.constantFrom(1, 2, 50),
            async (samples, maxPerBin, deletions, limit) => {
              const binId = `events-${process.pid}-${++bins}`;
              await store.bins.create({ id: binId, name: 'e', now: 1 });
              const stored: CapturedRequest[] = [];
              for (const [i, s] of samples.entries()) {
                stored.push(
                  await store.requests.insert(
                    {
                      ...requestWithId(binId, `req_${binId}_${i}`),
                      receivedAt: 1_700_000_000_000 + i,
                      method: s.method,
                      body: Buffer.from(s.body),
                      recognition: s.recognition,
                    },
                    // Evicts the oldest once the bin holds more.
                    maxPerBin,
                  ),
                );
              }
              // Kept: the newest maxPerBin, less the deleted ones; newest first.
              let kept = stored.slice(-maxPerBin);
              for (const d of deletions) {
                const gone = kept[d % kept.length];
                if (!gone) continue;
                await store.requests.delete(binId, gone.id);
                kept = kept.filter((r) => r !== gone);
              }
              kept.reverse();
              expect(await eventRows(binId)).toBe(
                kept.reduce(
                  (n, r) =>
                    n + eventsColumn(r.recognition).trim().split(' ').filter(Boolean).length,
                  0,
                ),
              );
              for (const event of [...events, 'domain_mapped', 'payment']) {
                const has = (r: CapturedRequest) =>
                  eventsColumn(r.recognition).includes(` ${event} `);
                const base = { includeBody: false, limit, event };
                expect(await allPages(store, binId, base)).toEqual(
                  kept.filter(has).map((r) => r.id),
                );
                expect(await allPages(store, binId, { ...base, method: 'post' })).toEqual(
                  kept.filter((r) => has(r) && r.method === 'POST').map((r) => r.id),
                );
                const searched = await allPages(store, binId, {
                  includeBody: false,
                  limit,
                  q: 'alpha',
                });
                const withEvent = new Set(kept.filter(has).map((r) => r.id));
                expect(await allPages(store, binId, { ...base, q: 'alpha' })).toEqual(
                  searched.filter((id) => withEvent.has(id)),
                );
              }
            },
          ),
          { numRuns: 30, interruptAfterTimeLimit: 60_000 },
        );
      } finally {
        await close();
      }
    },
    120_000,
  );

  it.runIf(run)(
    'removes the rows with their request: evicted, deleted, cleared, bin deleted',
    async () => {
      const { store, eventRows, close } = await open();
      try {
        const binId = `events-gone-${process.pid}-${++bins}`;
        const otherId = `${binId}-other`;
        const put = (bin: string, n: number, maxPerBin = 3) =>
          store.requests.insert(
            {
              ...requestWithId(bin, `req_${bin}_${n}`),
              body: Buffer.from('{}'),
              // Two ids each: the checked event and the best candidate.
              recognition: recognition('payment_received', ['site_published']),
            },
            maxPerBin,
          );
        const listed = async (bin: string, event = 'payment_received') =>
          (await store.requests.list(bin, { includeBody: false, limit: 50, event })).items.map(
            (r) => r.id,
          );
        await store.bins.create({ id: binId, name: 'g', now: 1 });
        await store.bins.create({ id: otherId, name: 'o', now: 1 });
        for (let n = 1; n <= 5; n++) await put(binId, n);
        // A ring of three: the two oldest went with their rows.
        expect(await eventRows(binId)).toBe(6);
        expect(await listed(binId, 'site_published')).toEqual([
          `req_${binId}_5`,
          `req_${binId}_4`,
          `req_${binId}_3`,
        ]);
        await store.requests.delete(binId, `req_${binId}_4`);
        expect(await eventRows(binId)).toBe(4);
        expect(await listed(binId)).toEqual([`req_${binId}_5`, `req_${binId}_3`]);
        // Trimmed to a lower limit.
        await store.requests.trim(binId, 1);
        expect(await eventRows(binId)).toBe(2);
        expect(await listed(binId)).toEqual([`req_${binId}_5`]);

        await put(otherId, 1);
        await store.requests.clear(binId);
        expect(await eventRows(binId)).toBe(0);
        expect(await listed(binId)).toEqual([]);
        // Another bin's rows stay.
        expect(await eventRows(otherId)).toBe(2);
        // The seqs go on after a clear: new rows, nothing of the old ones.
        await put(binId, 6);
        expect(await listed(binId)).toEqual([`req_${binId}_6`]);
        expect(await eventRows(binId)).toBe(2);
        await store.bins.delete(binId);
        expect(await eventRows(binId)).toBe(0);
        expect(await listed(otherId)).toEqual([`req_${otherId}_1`]);
      } finally {
        await close();
      }
    },
  );
});
