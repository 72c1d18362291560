import type { Database } from 'better-sqlite3';
import { searchText } from '../search.js';

/**
 * The text search index (migration 9): an FTS5 table of trigrams keyed by the request's rowid,
 * holding searchText (../search.ts) of every request. Contentless (the text is not stored twice)
 * with contentless_delete, so the trigger that keeps it in step with deletes — one by one,
 * cleared, evicted, bin deleted or expired, in the same transaction — needs only the rowid.
 * detail=none keeps rowids only (half the insert cost of full positions, measured): a lookup is
 * every trigram of the needle at once, and requestMatches checks each candidate.
 */
export const searchIndexSql = `
  CREATE VIRTUAL TABLE requests_search USING fts5 (
    text, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1,
    detail = none
  );
  CREATE TRIGGER requests_drop_search AFTER DELETE ON requests
  BEGIN
    DELETE FROM requests_search WHERE rowid = OLD.rowid;
  END;
`;

/**
 * How FTS5 merges its segments (migration 10; kept in the table's own config). Every transaction
 * writes the trigrams of its requests as a new small segment, and FTS5 merges segments as they
 * pile up; measured per stored 1 KB request (CPU, the store's statements alone, 32 rows a
 * transaction): tokenizing ~35 µs, and with the defaults another ~50 µs of merging, ~200 µs
 * more once a bin's ring buffer evicts with every capture. So:
 * - automerge 16 (default 4): a level is merged once 16 segments wait on it, not 4, so each entry
 *   is rewritten about half as often; a search then looks in more segments (up to 15 a level,
 *   a few ms at most for the longest needles).
 * - crisismerge 32 (default 16): above automerge, so the incremental merges (a bounded amount of
 *   work per transaction) do the merging, not a whole level at once inside a capture.
 * - deletemerge 50 (default 10): a level is merged to purge deleted rows once half of its
 *   entries are deleted, not a tenth. With a ring buffer every capture deletes the oldest
 *   request, and at 10% FTS5 kept re-merging the levels the evicted rows sat in (the store's
 *   writes cost 2-3x as much with a full ring of 500); at 50% that is gone, dead entries still go.
 */
export const searchIndexSettingsSql = `
  INSERT INTO requests_search (requests_search, rank) VALUES ('automerge', 16);
  INSERT INTO requests_search (requests_search, rank) VALUES ('crisismerge', 32);
  INSERT INTO requests_search (requests_search, rank) VALUES ('deletemerge', 50);
`;

/**
 * The index's pending list (migration 12), after PostgreSQL GIN's: a capture adds its request's
 * rowid here, in its own transaction, and the rows are moved into FTS5 together, in a
 * transaction of their own, once `indexBatch` of them wait (indexPending, index-upkeep.ts).
 * Every transaction wrote its own FTS5 segment, and at half the capture rate, with 1-3 requests
 * a transaction, the segments' writing and merging cost ~600 µs a request against ~170 at 20 or
 * more (measured, the store alone); a search reads the few pending rows of its bin by scan (they
 * are newer than every indexed one) before the index, so its answer is complete and exact at
 * every commit. The trigger skips the index for a row still pending (it never entered it) and
 * takes the row off the list.
 */
export const searchPendingSql = `
  CREATE TABLE requests_search_pending (request_rowid INTEGER PRIMARY KEY) STRICT;
  DROP TRIGGER requests_drop_search;
  CREATE TRIGGER requests_drop_search AFTER DELETE ON requests
  BEGIN
    DELETE FROM requests_search WHERE rowid = OLD.rowid
      AND NOT EXISTS (SELECT 1 FROM requests_search_pending WHERE request_rowid = OLD.rowid);
    DELETE FROM requests_search_pending WHERE request_rowid = OLD.rowid;
  END;
`;

/** Pending rows that make one FTS5 segment, unless the store is given another number. */
export const DEFAULT_INDEX_BATCH = 32;

/**
 * Who merges the index's segments (migration 13): the store, in short steps between turns of the
 * event loop (index-upkeep.ts), not FTS5's automerge inside whichever commit crosses its mark.
 * usermerge 16 keeps automerge's 16 segments a level (migration 10) as the point a merge starts;
 * crisismerge still merges level 0 at once if the steps ever fell behind.
 */
export const searchMergeSql = `
  INSERT INTO requests_search (requests_search, rank) VALUES ('automerge', 0);
  INSERT INTO requests_search (requests_search, rank) VALUES ('usermerge', 16);
`;

/**
 * Moves every pending request into the index and says how many it moved (the merging the index
 * upkeep owes grows with it). Run it inside a transaction: the list and the index change together
 * or not at all, and a search finds each request in one or the other.
 */
export function indexPending(db: Database): () => number {
  const pending = db
    .prepare<[], number>('SELECT request_rowid FROM requests_search_pending')
    .pluck();
  const read = db.prepare<[number], Indexed>(
    'SELECT rowid, method, path, query, raw_headers, body FROM requests WHERE rowid = ?',
  );
  const insert = db.prepare('INSERT INTO requests_search (rowid, text) VALUES (?, ?)');
  const clear = db.prepare('DELETE FROM requests_search_pending');
  return () => {
    const rowids = pending.all();
    // One row at a time: bodies may be up to the capture limit (10 MB by default) each.
    for (const rowid of rowids) {
      const row = read.get(rowid);
      if (row) insert.run(row.rowid, indexedText(row));
    }
    clear.run();
    return rowids.length;
  };
}

function indexedText(row: Indexed): string {
  return searchText({ ...row, rawHeaders: JSON.parse(row.raw_headers) as string[] });
}

/**
 * Deletes every request of a bin (cleared, deleted, expired). The trigger gives each row a
 * tombstone in the index, several µs each; when no other bin has requests the index is emptied
 * first in one step ('delete-all'), and the trigger then finds nothing to delete. Run it inside a
 * transaction: the index is emptied only together with the rows.
 */
export function binRequestsDelete(db: Database): (binId: string) => number {
  const others = db
    .prepare<[string, string], number>(
      `SELECT EXISTS (SELECT 1 FROM requests WHERE bin_id < ?)
           OR EXISTS (SELECT 1 FROM requests WHERE bin_id > ?)`,
    )
    .pluck();
  const emptyIndex = db.prepare(
    "INSERT INTO requests_search (requests_search) VALUES ('delete-all')",
  );
  const deleteRows = db.prepare('DELETE FROM requests WHERE bin_id = ?');
  return (binId) => {
    if (others.get(binId, binId) === 0) emptyIndex.run();
    return deleteRows.run(binId).changes;
  };
}

interface Indexed {
  rowid: number;
  method: string;
  path: string;
  query: string;
  raw_headers: string;
  body: Buffer;
}

/** Indexes the requests stored before the index existed, a chunk at a time (bodies are big). */
export function fillSearchIndex(db: Database): void {
  const chunk = db.prepare<[number], Indexed>(
    `SELECT rowid, method, path, query, raw_headers, body FROM requests
     WHERE rowid > ? ORDER BY rowid LIMIT 500`,
  );
  const insert = db.prepare('INSERT INTO requests_search (rowid, text) VALUES (?, ?)');
  let after = 0;
  for (;;) {
    const rows = chunk.all(after);
    for (const row of rows) insert.run(row.rowid, indexedText(row));
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.rowid;
  }
}

/** Most trigrams a lookup asks for: more only narrow candidates that requestMatches checks. */
const MAX_TRIGRAMS = 24;

/**
 * The FTS5 query for a needle from indexedNeedle: each distinct trigram (of code points, as the
 * tokenizer cuts them) as a quoted string, all required.
 */
export function searchMatch(needle: string): string {
  const chars = [...needle];
  const trigrams = [...new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join('')))];
  const step = Math.max(1, Math.ceil(trigrams.length / MAX_TRIGRAMS));
  return trigrams
    .filter((_, i) => i % step === 0)
    .map((t) => `"${t.replaceAll('"', '""')}"`)
    .join(' AND ');
}
