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
    for (const row of rows) {
      const rawHeaders = JSON.parse(row.raw_headers) as string[];
      insert.run(row.rowid, searchText({ ...row, rawHeaders }));
    }
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
