import type pg from 'pg';
import { searchText } from '../search.js';

/**
 * The text search index (migration 9 and every start): requests.search holds searchText
 * (../search.ts), written by capture_requests in the insert's own statement, so evictions and
 * deletes take it with the row; a pg_trgm GIN index on the bin and it answers a bin's
 * `LIKE '%needle%'` by trigrams (search_requests, migration 12) and rechecks each hit exactly.
 * The column is filled by the migration; the index needs the pg_trgm extension, which
 * ensureSearchIndex creates where it may.
 */

interface Unindexed {
  bin_id: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  raw_headers: string;
  body: Buffer;
}

/** Computes the search text of the requests stored before the column existed, 500 at a time. */
export async function fillSearchText(client: pg.ClientBase): Promise<void> {
  let after: [string, number] = ['', 0];
  for (;;) {
    const { rows } = await client.query<Unindexed>(
      `SELECT bin_id, seq, method, path, query, raw_headers, body FROM requests
       WHERE (bin_id, seq) > ($1, $2) ORDER BY bin_id, seq LIMIT 500`,
      after,
    );
    if (rows.length === 0) return;
    await client.query(
      `UPDATE requests r SET search = u.search
       FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u (bin_id, seq, search)
       WHERE r.bin_id = u.bin_id AND r.seq = u.seq`,
      [
        rows.map((r) => r.bin_id),
        rows.map((r) => r.seq),
        rows.map((r) => searchText({ ...r, rawHeaders: JSON.parse(r.raw_headers) as string[] })),
      ],
    );
    const last = rows[rows.length - 1]!;
    after = [last.bin_id, last.seq];
  }
}

/**
 * Creates the GIN index if it is missing (after the migrations, under their lock: instances
 * starting together build it once). pg_trgm goes
 * into the public schema, not the store's: an extension lives once per database, and in a store's
 * schema it would go with that schema (DROP SCHEMA … CASCADE would drop other stores' indexes).
 * Returns whether the index exists, and when not, what the administrator can do.
 */
export type SearchIndexState = { indexed: true } | { indexed: false; warning: string };

export async function ensureSearchIndex(
  client: pg.ClientBase,
  schema: string,
): Promise<SearchIndexState> {
  const present = await client.query(
    `SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = 'requests_bin_search'`,
    [schema],
  );
  if (present.rowCount !== 0) return { indexed: true };
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
  } catch (error) {
    const exists = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
    if (exists.rowCount === 0) {
      return {
        indexed: false,
        warning: `postgres: text search scans requests within a budget, without an index: the pg_trgm extension could not be created (${(error as Error).message}). Have a database owner or superuser run "CREATE EXTENSION pg_trgm SCHEMA public" in this database (on Debian it ships with postgresql-contrib); umhooks builds the index at its next start.`,
      };
    }
  }
  // The operator class is named by the extension's schema, wherever it was created.
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm'`,
  );
  // The bin as a one-element array (array_ops, built into GIN: no btree_gin extension needed):
  // GIN intersects its entry with the needle's trigrams, so a search reads this bin's matches
  // only, however many other bins hold. It serves every search_requests call (q= alone, with
  // method=, with event=), so the whole-table trigram index of schemas before it goes.
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE INDEX IF NOT EXISTS requests_bin_search ON ${schema}.requests
       USING gin ((ARRAY[bin_id]), search "${rows[0]!.nspname.replaceAll('"', '""')}".gin_trgm_ops)`,
    );
    await client.query(`DROP INDEX IF EXISTS ${schema}.requests_search`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return { indexed: true };
}

/** Whether pg_trgm can look a needle up: it takes trigrams from runs of letters and digits. */
export function trigramNeedle(needle: string): boolean {
  return /[\p{L}\p{N}]{3}/u.test(needle);
}

/** `%needle%` for LIKE, with LIKE's own characters escaped (the default escape is \). */
export function containsPattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
