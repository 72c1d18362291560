import type { Database, Statement } from 'better-sqlite3';
import { contentTypeOf, eventIds, eventsColumn } from '../columns.js';
import { BinNotFoundError } from '../errors.js';
import {
  defaultSearchBudget,
  indexedNeedle,
  SearchScan,
  unlimited,
  type SearchBudget,
} from '../search.js';
import type { CapturedRequest, RequestPage, RequestQuery, RequestStore } from '../types.js';
import {
  answerText,
  asBuffer,
  indexesByBin,
  summaryColumns,
  toCaptured,
  type FullRow,
  type NewRequest,
} from '../rows/requests.js';
import { requestListing, requestPage } from '../queries/requests.js';
import { createGroupCommit } from './group-commit.js';
import { createIndexUpkeep } from './index-upkeep.js';
import {
  binRequestsDelete,
  DEFAULT_INDEX_BATCH,
  indexPending,
  searchMatch,
} from './search-index.js';
import type { WriteGate } from './write-gate.js';

export interface SqliteRequestStoreOptions {
  /** Rows per transaction at most; more waiting rows go to the next one. */
  maxBatch?: number;
  search?: SearchBudget;
  /** false: every text search scans within the budget, as before the index (tests compare). */
  searchIndex?: boolean;
  /** Pending requests moved into the search index together (search-index.ts); 1: every commit. */
  indexBatch?: number;
}

/** A capture waiting for its group commit, and its bin's ring size. */
interface Insert {
  request: NewRequest;
  maxPerBin: number;
}

export function createSqliteRequestStore(
  db: Database,
  options: SqliteRequestStoreOptions = {},
  gate?: WriteGate,
): RequestStore & { flush(): void; stop(): void } {
  const budget = options.search ?? defaultSearchBudget;
  const reserve = db
    .prepare<[number, string], number>(
      'UPDATE bins SET request_count = request_count + ? WHERE id = ? RETURNING request_count',
    )
    .pluck();
  const insertRow = db.prepare(
    `INSERT INTO requests (id, bin_id, seq, received_at, method, path, query, raw_headers, body,
       size, content_type, remote_address, recognition, events, answer)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pendRow = db.prepare('INSERT INTO requests_search_pending (request_rowid) VALUES (?)');
  const indexBatch = options.indexBatch ?? DEFAULT_INDEX_BATCH;
  const movePending = indexPending(db);
  // Rows added to the pending list since it was last emptied; deletes may have taken some off
  // again, which only moves the next batch a little earlier.
  let pending = db
    .prepare<[], number>('SELECT count(*) FROM requests_search_pending')
    .pluck()
    .get()!;
  const eventRow = db.prepare('INSERT INTO request_events (bin_id, seq, event) VALUES (?, ?, ?)');
  const evict = db.prepare('DELETE FROM requests WHERE bin_id = ? AND seq <= ?');
  const countEvicted = db.prepare('UPDATE bins SET evicted_count = evicted_count + ? WHERE id = ?');
  const selectOne = db.prepare<[string, string], FullRow>(
    'SELECT * FROM requests WHERE id = ? AND bin_id = ?',
  );
  const deleteOne = db.prepare('DELETE FROM requests WHERE id = ? AND bin_id = ?');
  const clear = db.transaction(binRequestsDelete(db));
  const lastSeq = db
    .prepare<[string], number>('SELECT request_count FROM bins WHERE id = ?')
    .pluck();
  const trim = db.transaction((binId: string, keep: number) => {
    const last = lastSeq.get(binId);
    if (last === undefined || last - keep < 1) return 0;
    const evicted = evict.run(binId, last - keep).changes;
    if (evicted > 0) countEvicted.run(evicted, binId);
    return evicted;
  });

  /**
   * One transaction per batch. Per bin: reserve the seq range with one UPDATE, insert the rows,
   * then evict everything at or below `last seq - maxPerBin` with one range delete on the
   * (bin_id, seq) index — it touches only the rows that go, so eviction stays O(1) per request.
   * A missing bin fails only its own rows; any SQL error rolls the whole batch back.
   */
  const writeBatch = db.transaction((batch: readonly Insert[]) => {
    const results: Array<CapturedRequest | Error> = new Array(batch.length);
    for (const [binId, indexes] of indexesByBin(batch)) {
      const last = reserve.get(indexes.length, binId);
      if (last === undefined) {
        const missing = new BinNotFoundError(binId);
        for (const i of indexes) results[i] = missing;
        continue;
      }
      let seq = last - indexes.length;
      let maxPerBin = Infinity;
      for (const i of indexes) {
        const { request, maxPerBin: cap } = batch[i]!;
        seq += 1;
        maxPerBin = Math.min(maxPerBin, cap);
        const events = eventIds(request.recognition);
        const { lastInsertRowid } = insertRow.run(
          request.id,
          binId,
          seq,
          request.receivedAt,
          request.method,
          request.path,
          request.query,
          JSON.stringify(request.rawHeaders),
          asBuffer(request.body),
          request.body.byteLength,
          request.contentType ?? contentTypeOf(request.rawHeaders),
          request.remoteAddress,
          request.recognition === undefined ? null : JSON.stringify(request.recognition),
          eventsColumn(events),
          answerText(request.answer),
        );
        // Into the index with the next batch; evictions and deletes leave the pending list or
        // the index by the trigger (search-index.ts).
        pendRow.run(lastInsertRowid);
        pending += 1;
        // Usually none or one; evictions and deletes take them by trigger (events.ts).
        for (const event of events) eventRow.run(binId, seq, event);
        results[i] = { ...request, seq };
      }
      if (last - maxPerBin >= 1) {
        const evicted = evict.run(binId, last - maxPerBin).changes;
        if (evicted > 0) countEvicted.run(evicted, binId);
      }
    }
    return results;
  });
  // Moving the pending list into the index, and merging it, are steps after the commits that
  // filled it (index-upkeep.ts).
  const moveAll = db.transaction(movePending);
  const upkeep = createIndexUpkeep(
    db,
    () => {
      const moved = moveAll();
      pending = 0;
      return moved;
    },
    gate,
  );
  const writeAndKeepUp = (batch: readonly Insert[]) => {
    const results = writeBatch(batch);
    if (pending >= indexBatch) upkeep.moveDue();
    return results;
  };
  const commits = createGroupCommit(writeAndKeepUp, options.maxBatch ?? 512, gate);

  // One prepared statement per filter combination (its SQL text), built on first use.
  const prepared = new Map<string, Statement<unknown[], FullRow>>();
  function statement(sql: string): Statement<unknown[], FullRow> {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare<unknown[], FullRow>(sql);
      prepared.set(sql, found);
    }
    return found;
  }
  const methodFilter = (method: boolean) => (method ? ' AND method = ?' : '');
  const eventFilter = (event: boolean) =>
    event
      ? ` AND EXISTS (SELECT 1 FROM request_events e
          WHERE e.bin_id = requests.bin_id AND e.seq = requests.seq AND e.event = ?)`
      : '';

  // With event=, the bin's rows of that event (request_events, by its (bin_id, event, seq) index)
  // rather than every row of the bin filtered: USING makes bin_id and seq one column of both
  // tables, request_events'. CROSS JOIN keeps request_events the outer loop: without statistics
  // the planner walked the bin by requests_bin_seq (it gives the order) and looked each row up in
  // request_events.
  const listStatement = (withBody: boolean, method: boolean, event: boolean, limited: boolean) =>
    statement(
      `SELECT ${summaryColumns}${withBody ? ', body' : ''}
       FROM ${event ? 'request_events CROSS JOIN requests USING (bin_id, seq)' : 'requests'}
       WHERE bin_id = ? AND seq < ?${methodFilter(method)}${event ? ' AND event = ?' : ''}
       ORDER BY seq DESC${limited ? ' LIMIT ?' : ''}`,
    );

  /**
   * Text search by the index: the requests whose text holds every trigram of the needle, newest
   * first. The rowid grows with seq within a bin, so the cursor becomes a rowid bound: the rowid of
   * the newest row below it. FTS5 walks its rowids downwards and stops when the page is full.
   */
  const searchStatement = (method: boolean, event: boolean) =>
    statement(
      `SELECT ${summaryColumns}, body FROM requests_search
       JOIN requests ON requests.rowid = requests_search.rowid
       WHERE requests_search MATCH ?
         AND requests_search.rowid <= (SELECT rowid FROM requests
           WHERE bin_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1)
         AND bin_id = ?${methodFilter(method)}${eventFilter(event)}
       ORDER BY requests_search.rowid DESC`,
    );

  /**
   * The bin's requests still on the pending list, newest first: each is newer than any indexed.
   * CROSS JOIN keeps the list (a few rows) the outer loop: the planner otherwise walked the whole
   * bin by requests_bin_seq for its order and looked each row up in the list.
   */
  const pendingStatement = (method: boolean, event: boolean) =>
    statement(
      `SELECT ${summaryColumns}, body FROM requests_search_pending
       CROSS JOIN requests ON requests.rowid = requests_search_pending.request_rowid
       WHERE bin_id = ? AND seq < ?${methodFilter(method)}${eventFilter(event)}
       ORDER BY seq DESC`,
    );
  const useIndex = options.searchIndex ?? true;

  function list(binId: string, query: RequestQuery): RequestPage {
    const listing = requestListing(query);
    const { limit, method, event } = listing;
    const params: unknown[] = [binId, query.before ?? Number.MAX_SAFE_INTEGER, ...listing.filters];

    if (!query.q) {
      const statement = listStatement(query.includeBody, method, event, true);
      return requestPage(statement.all(...params, limit + 1), listing);
    }

    const needle = useIndex ? indexedNeedle(query.q) : undefined;
    if (needle !== undefined) {
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      // One statement after the other: SQLite runs no second statement on the connection while
      // one is being iterated.
      function* rows() {
        yield* pendingStatement(method, event).iterate(binId, before, ...listing.filters);
        yield* searchStatement(method, event).iterate(
          searchMatch(needle!),
          binId,
          before,
          binId,
          ...listing.filters,
        );
      }
      return new SearchScan(query.q, limit, unlimited, listing.shape).pageOf(rows());
    }

    // Where the index cannot answer: scanned newest first in the process, within a budget.
    const scan = new SearchScan(query.q, limit, budget, listing.shape);
    return scan.pageOf(listStatement(true, method, event, false).iterate(...params));
  }

  return {
    insert(request, maxPerBin) {
      return commits.submit({ request, maxPerBin });
    },
    async get(binId, id) {
      const row = selectOne.get(id, binId);
      return row ? toCaptured(row) : undefined;
    },
    async list(binId, query) {
      return list(binId, query);
    },
    async delete(binId, id) {
      return deleteOne.run(id, binId).changes > 0;
    },
    async clear(binId) {
      return clear(binId);
    },
    async trim(binId, keep) {
      return trim(binId, keep);
    },
    flush: commits.flush,
    stop: upkeep.stop,
  };
}
