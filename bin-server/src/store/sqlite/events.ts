import type { Database } from 'better-sqlite3';

/**
 * The event ids of requests (migration 11): one row per id the event= filter matches (columns.ts
 * eventIds, the same ids as requests.events), so event= reads the bin's rows of that event newest
 * first instead of walking the bin. Written with the request (requests.ts), in its transaction.
 * Keyed by (bin_id, seq, event), so the trigger that removes them with the request — deleted,
 * cleared, evicted, bin deleted or expired — finds them by the request's own key, and only for
 * requests that had any; the index on (bin_id, event, seq) serves event=.
 */
export const requestEventsSql = `
  CREATE TABLE request_events (
    bin_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    event  TEXT NOT NULL,
    PRIMARY KEY (bin_id, seq, event)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX request_events_event ON request_events (bin_id, event, seq);
  CREATE TRIGGER requests_drop_events AFTER DELETE ON requests WHEN OLD.events <> ''
  BEGIN
    DELETE FROM request_events WHERE bin_id = OLD.bin_id AND seq = OLD.seq;
  END;
`;

/** The stored requests' ids, from their events column (' a b '), a chunk at a time. */
export function fillRequestEvents(db: Database): void {
  const chunk = db.prepare<
    [number],
    { rowid: number; bin_id: string; seq: number; events: string }
  >(`SELECT rowid, bin_id, seq, events FROM requests WHERE rowid > ? ORDER BY rowid LIMIT 5000`);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO request_events (bin_id, seq, event) VALUES (?, ?, ?)',
  );
  let after = 0;
  for (;;) {
    const rows = chunk.all(after);
    if (rows.length === 0) return;
    for (const row of rows) {
      for (const event of row.events.split(' ')) {
        if (event !== '') insert.run(row.bin_id, row.seq, event);
      }
    }
    after = rows[rows.length - 1]!.rowid;
  }
}
