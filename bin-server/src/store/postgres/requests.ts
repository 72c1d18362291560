import type pg from 'pg';
import { contentTypeOf, eventIds, eventsColumn } from '../columns.js';
import { BinNotFoundError } from '../errors.js';
import {
  defaultSearchBudget,
  indexedNeedle,
  SearchScan,
  searchText,
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
import { createBatcher } from './batcher.js';
import { containsPattern, trigramNeedle } from './search-index.js';
import { transaction } from './transaction.js';

interface Pending {
  request: NewRequest;
  maxPerBin: number;
}

/** Rows of one scan, newest first, fetched in pages so a long scan never holds them all. */
async function* scanRows(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
  before: number,
  chunk: number,
): AsyncGenerator<FullRow> {
  let cursor = before;
  for (;;) {
    const { rows } = await pool.query<FullRow>(sql, [...params, cursor, chunk]);
    yield* rows;
    if (rows.length < chunk) return;
    cursor = rows[rows.length - 1]!.seq;
  }
}

export interface PostgresRequestStoreOptions {
  /** Rows per transaction at most; more waiting rows go to the next one. */
  maxBatch?: number;
  search?: SearchBudget;
  /** false: every text search scans within the budget (no index: pg_trgm missing; tests). */
  searchIndex?: boolean;
  /**
   * What a text search reads newest first before it asks the index: a needle found often fills
   * its page there, sooner than the index (which finds every match, then sorts them); a rarer one
   * goes on by the index from where the probe stopped. At least one row.
   */
  searchProbe?: SearchBudget;
}

export function createPostgresRequestStore(
  pool: pg.Pool,
  options: PostgresRequestStoreOptions = {},
): RequestStore & { drain(): Promise<void> } {
  const budget = options.search ?? defaultSearchBudget;

  /**
   * One round trip per batch: `capture_requests` (a function in the schema, see migrations.ts)
   * locks each bin's row — which orders inserters across every instance, so seqs never collide
   * or leave gaps — numbers the rows, writes them and applies the ring buffer, all in one
   * transaction. Rows are grouped by bin, bins sorted by id (one lock order: no deadlocks). A
   * missing bin fails only its own rows; the results carry the seq each request got.
   */
  async function writeBatch(batch: readonly Pending[]): Promise<Array<CapturedRequest | Error>> {
    const byBin = indexesByBin(batch);
    const binIds = [...byBin.keys()].sort();
    const order = binIds.flatMap((id) => byBin.get(id)!);
    const requests = order.map((i) => batch[i]!.request);
    // Each event id with its request's position (1-based, as SQL arrays count) in the arrays.
    const ids = requests.map((r) => eventIds(r.recognition));
    const eventRows: number[] = [];
    const eventNames: string[] = [];
    ids.forEach((events, k) => {
      for (const event of events) {
        eventRows.push(k + 1);
        eventNames.push(event);
      }
    });
    const { rows } = await pool.query<{ out_bin: string; out_last: number }>({
      // Named: prepared once per connection (the hot path skips parsing and planning).
      name: 'umhooks_capture_requests',
      text: 'SELECT out_bin, out_last FROM capture_requests($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)',
      values: [
        binIds,
        binIds.map((id) => byBin.get(id)!.length),
        binIds.map((id) => Math.min(...byBin.get(id)!.map((i) => batch[i]!.maxPerBin))),
        requests.map((r) => r.id),
        requests.map((r) => r.receivedAt),
        requests.map((r) => r.method),
        requests.map((r) => r.path),
        requests.map((r) => r.query),
        requests.map((r) => JSON.stringify(r.rawHeaders)),
        requests.map((r) => asBuffer(r.body)),
        requests.map((r) => r.body.byteLength),
        requests.map((r) => r.contentType ?? contentTypeOf(r.rawHeaders)),
        requests.map((r) => r.remoteAddress),
        requests.map((r) => (r.recognition === undefined ? null : JSON.stringify(r.recognition))),
        ids.map(eventsColumn),
        requests.map((r) => answerText(r.answer)),
        requests.map((r) => searchText(r)),
        eventRows,
        eventNames,
      ],
    });
    const last = new Map(rows.map((r) => [r.out_bin, r.out_last]));
    const results: Array<CapturedRequest | Error> = new Array(batch.length);
    for (const [binId, indexes] of byBin) {
      const end = last.get(binId);
      if (end === undefined) {
        const missing = new BinNotFoundError(binId);
        for (const i of indexes) results[i] = missing;
        continue;
      }
      indexes.forEach((i, k) => {
        results[i] = { ...batch[i]!.request, seq: end - indexes.length + 1 + k };
      });
    }
    return results;
  }

  const batcher = createBatcher(writeBatch, {
    maxBatch: options.maxBatch ?? 512,
    // Batches of one bin queue on its row lock anyway; two in flight overlap the round trips.
    maxInFlight: 2,
  });

  /**
   * A page of the bin newest first. With event=, the bin's rows of that event (request_events,
   * by its (bin_id, event, seq) index) rather than every row of the bin filtered: USING makes
   * bin_id and seq one column of both tables, request_events' (first), so the cursor's bound
   * goes into that index's range (a range on the other table's seq would not be carried over).
   */
  function listSql(withBody: boolean, method: boolean, event: boolean): string {
    let n = 1;
    const where = [`bin_id = $${n++}`];
    if (method) where.push(`method = $${n++}`);
    if (event) where.push(`event = $${n++}`);
    where.push(`seq < $${n++}`);
    return `SELECT ${summaryColumns}${withBody ? ', body' : ''}
      FROM ${event ? 'request_events JOIN requests USING (bin_id, seq)' : 'requests'}
      WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${n}`;
  }

  /**
   * The rows the trigram index proposes (search_requests, migration 10: the index alone, then the
   * bin and the cursor), the other filters on those; each is rechecked exactly by the caller.
   */
  function searchSql(method: boolean, event: boolean): string {
    let n = 3;
    const where: string[] = [];
    if (method) where.push(`method = $${n++}`);
    if (event) {
      where.push(`EXISTS (SELECT 1 FROM request_events e
        WHERE e.bin_id = r.bin_id AND e.seq = r.seq AND e.event = $${n++})`);
    }
    return `SELECT ${summaryColumns}, body FROM search_requests($1, $2, $${n++}) r
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${n}`;
  }
  /**
   * The probe (see searchProbe) in one round trip: the window of the newest rows below the cursor
   * (at most $rows, and no row once $bytes of bodies came before it, as SearchScan counts), the
   * LIKE on their search text in the database, and the candidates' rows; plus, on every answer
   * row (one with NULL columns when nothing matched), where the window ended and whether the bin's
   * rows (with these filters) ran out inside it.
   */
  function probeSql(method: boolean, event: boolean): string {
    let n = 2;
    const methodParam = method ? `$${n++}` : 'NULL';
    const eventParam = event ? `$${n++}` : 'NULL';
    const [before, rows, bytes, pattern] = [`$${n}`, `$${n + 1}`, `$${n + 2}`, `$${n + 3}`];
    // newest_requests (migration 11): the window by an index walk whatever the statistics.
    return `WITH w AS MATERIALIZED (
        SELECT seq, size, search
        FROM newest_requests($1, ${before}, ${rows}, ${methodParam}, ${eventParam})
      ), kept AS (
        SELECT seq, search FROM (
          SELECT seq, search, coalesce(sum(size) OVER (ORDER BY seq DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bytes_before
          FROM w
        ) b WHERE bytes_before < ${bytes}
      ), edge AS (
        SELECT (SELECT min(seq) FROM kept) AS probe_last,
          (SELECT count(*) FROM kept) < ${rows}
            AND (SELECT count(*) FROM kept) = (SELECT count(*) FROM w) AS probe_exhausted
      )
      SELECT edge.probe_last, edge.probe_exhausted, m.* FROM edge LEFT JOIN LATERAL (
        SELECT ${summaryColumns}, body FROM kept JOIN requests USING (seq)
        WHERE requests.bin_id = $1 AND kept.search LIKE ${pattern}
      ) m ON true
      ORDER BY m.seq DESC`;
  }
  const useIndex = options.searchIndex ?? true;
  const probeBudget = options.searchProbe ?? { rows: 500, bytes: 4 * 1024 * 1024 };

  async function list(binId: string, query: RequestQuery): Promise<RequestPage> {
    const listing = requestListing(query);
    const { limit, method, event } = listing;
    const params: unknown[] = [binId, ...listing.filters];
    const before = query.before ?? Number.MAX_SAFE_INTEGER;

    if (!query.q) {
      const sql = listSql(query.includeBody, method, event);
      const { rows } = await pool.query<FullRow>(sql, [...params, before, limit + 1]);
      return requestPage(rows, listing);
    }

    const needle = useIndex ? indexedNeedle(query.q) : undefined;
    if (needle !== undefined && trigramNeedle(needle)) {
      const pattern = containsPattern(needle);
      const { rows: probed } = await pool.query<
        FullRow & { probe_last: number | null; probe_exhausted: boolean }
      >(probeSql(method, event), [
        ...params,
        before,
        probeBudget.rows,
        // A budget of Infinity: every row of the window.
        Number.isFinite(probeBudget.bytes) ? probeBudget.bytes : Number.MAX_SAFE_INTEGER,
        pattern,
      ]);
      const { probe_last: probeLast, probe_exhausted: exhausted } = probed[0]!;
      const candidates = probed.filter((r) => r.id !== null);
      const first = new SearchScan(query.q, limit, unlimited, listing.shape).pageOf(candidates);
      if (first.items.length === limit) {
        // Full: more follows unless its last item was the bin's last row.
        const last = first.items[limit - 1]!.seq;
        return {
          items: first.items,
          nextBefore: exhausted && last === probeLast ? undefined : last,
        };
      }
      if (exhausted || probeLast === null) return { items: first.items, nextBefore: undefined };
      const rest = await new SearchScan(
        query.q,
        limit - first.items.length,
        unlimited,
        listing.shape,
      ).pageOfAsync(
        scanRows(
          pool,
          searchSql(method, event),
          [pattern, binId, ...listing.filters],
          probeLast,
          limit + 1,
        ),
      );
      return { items: [...first.items, ...rest.items], nextBefore: rest.nextBefore };
    }

    // Where the index cannot answer: scanned newest first in the process, within a budget.
    const scan = new SearchScan(query.q, limit, budget, listing.shape);
    return scan.pageOfAsync(scanRows(pool, listSql(true, method, event), params, before, 200));
  }

  return {
    insert(request, maxPerBin) {
      return batcher.submit({ request, maxPerBin });
    },
    async get(binId, id) {
      const { rows } = await pool.query<FullRow>(
        `SELECT ${summaryColumns}, body FROM requests WHERE id = $1 AND bin_id = $2`,
        [id, binId],
      );
      return rows[0] ? toCaptured(rows[0]) : undefined;
    },
    list,
    async delete(binId, id) {
      const result = await pool.query('DELETE FROM requests WHERE id = $1 AND bin_id = $2', [
        id,
        binId,
      ]);
      return (result.rowCount ?? 0) > 0;
    },
    async clear(binId) {
      const result = await pool.query('DELETE FROM requests WHERE bin_id = $1', [binId]);
      return result.rowCount ?? 0;
    },
    async trim(binId, keep) {
      // Under the bin row's lock, like capture_requests: the same cut, the same counters.
      return transaction(pool, async (client) => {
        const { rows } = await client.query<{ last: string; through: string }>(
          'SELECT request_count AS last, evicted_through AS through FROM bins WHERE id = $1 FOR UPDATE',
          [binId],
        );
        if (!rows[0]) return 0;
        const cut = Number(rows[0].last) - keep;
        if (cut <= Number(rows[0].through)) return 0;
        const gone = await client.query(
          'DELETE FROM requests WHERE bin_id = $1 AND seq > $2 AND seq <= $3',
          [binId, rows[0].through, cut],
        );
        const evicted = gone.rowCount ?? 0;
        await client.query(
          'UPDATE bins SET evicted_count = evicted_count + $2, evicted_through = $3 WHERE id = $1',
          [binId, evicted, cut],
        );
        return evicted;
      });
    },
    drain: () => batcher.drain(),
  };
}
