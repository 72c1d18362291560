import type pg from 'pg';
import { BinNotFoundError } from '../errors.js';
import { defaultSearchBudget, requestMatches, type SearchBudget } from '../search.js';
import type {
  CapturedRequest,
  Recognition,
  RequestPage,
  RequestQuery,
  RequestStore,
  RequestSummary,
} from '../types.js';
import { createBatcher } from './batcher.js';
import { transaction } from './transaction.js';

type NewRequest = Omit<CapturedRequest, 'seq'>;

interface SummaryRow {
  id: string;
  bin_id: string;
  seq: number;
  received_at: number;
  method: string;
  path: string;
  query: string;
  raw_headers: string;
  size: number;
  content_type: string;
  remote_address: string;
  recognition: string | null;
}
interface FullRow extends SummaryRow {
  body: Buffer;
}

const summaryColumns =
  'id, bin_id, seq, received_at, method, path, query, raw_headers, size, content_type, remote_address, recognition';

function toSummary(row: SummaryRow): RequestSummary {
  return {
    id: row.id,
    binId: row.bin_id,
    seq: row.seq,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    query: row.query,
    rawHeaders: JSON.parse(row.raw_headers) as string[],
    remoteAddress: row.remote_address,
    recognition:
      row.recognition === null ? undefined : (JSON.parse(row.recognition) as Recognition),
    size: row.size,
    contentType: row.content_type,
  };
}

function toCaptured(row: FullRow): CapturedRequest {
  const { size: _size, contentType: _contentType, ...rest } = toSummary(row);
  return { ...rest, body: row.body };
}

function contentTypeOf(rawHeaders: readonly string[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'content-type') return rawHeaders[i + 1]!;
  }
  return '';
}

/** ` a b ` : the event ids `event=` matches (the checked event and the tied best candidates). */
function filterEvents(recognition: Recognition | undefined): string {
  if (!recognition) return '';
  const ids = new Set<string>();
  if (recognition.checkedEvent) ids.add(recognition.checkedEvent);
  const best = recognition.candidates[0]?.score;
  for (const c of recognition.candidates) if (c.score === best) ids.add(c.event);
  return ids.size === 0 ? '' : ` ${[...ids].join(' ')} `;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

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
}

export function createPostgresRequestStore(
  pool: pg.Pool,
  options: PostgresRequestStoreOptions = {},
): RequestStore & { drain(): Promise<void> } {
  const budget = options.search ?? defaultSearchBudget;

  /**
   * One transaction per batch: (1) reserve each bin's seq range by adding to its request_count
   * — the row lock orders inserters across every instance, so seqs never collide or leave gaps;
   * (2) one statement inserts the rows and applies the ring buffer. Rows that fall below the cap
   * in their own batch are never written (they count as evicted at once), and older rows are
   * deleted only in the range above the bin's previous cut (`evicted_through`), so eviction
   * touches only what goes. The second statement runs after the lock was granted, so it sees
   * every row committed by the batches before it. A missing bin fails only its own rows.
   */
  async function writeBatch(batch: readonly Pending[]): Promise<Array<CapturedRequest | Error>> {
    const byBin = new Map<string, number[]>();
    batch.forEach(({ request }, index) => {
      const list = byBin.get(request.binId);
      if (list) list.push(index);
      else byBin.set(request.binId, [index]);
    });
    // Locks are taken in id order: two batches over the same bins cannot deadlock.
    const binIds = [...byBin.keys()].sort();
    const results: Array<CapturedRequest | Error> = new Array(batch.length);

    return transaction(pool, async (client) => {
      if (binIds.length > 1) {
        await client.query('SELECT 1 FROM bins WHERE id = ANY($1) ORDER BY id FOR UPDATE', [
          binIds,
        ]);
      }
      const reserved = await client.query<{
        id: string;
        request_count: number;
        evicted_through: number;
      }>(
        `UPDATE bins b SET request_count = b.request_count + c.n
         FROM unnest($1::text[], $2::int[]) AS c(id, n)
         WHERE b.id = c.id
         RETURNING b.id, b.request_count, b.evicted_through`,
        [binIds, binIds.map((id) => byBin.get(id)!.length)],
      );
      const found = new Map(reserved.rows.map((r) => [r.id, r]));

      const rows = {
        binId: [] as string[],
        seq: [] as number[],
        id: [] as string[],
        receivedAt: [] as number[],
        method: [] as string[],
        path: [] as string[],
        query: [] as string[],
        rawHeaders: [] as string[],
        body: [] as Buffer[],
        size: [] as number[],
        contentType: [] as string[],
        remote: [] as string[],
        recognition: [] as Array<string | null>,
        events: [] as string[],
      };
      const evict = { binId: [] as string[], from: [] as number[], through: [] as number[], skipped: [] as number[] };

      for (const binId of binIds) {
        const indexes = byBin.get(binId)!;
        const bin = found.get(binId);
        if (!bin) {
          const missing = new BinNotFoundError(binId);
          for (const i of indexes) results[i] = missing;
          continue;
        }
        const last = bin.request_count;
        const cap = Math.min(...indexes.map((i) => batch[i]!.maxPerBin));
        const cut = last - cap;
        let seq = last - indexes.length;
        let skipped = 0;
        for (const i of indexes) {
          const { request } = batch[i]!;
          seq += 1;
          results[i] = { ...request, seq };
          if (seq <= cut) {
            skipped += 1;
            continue;
          }
          rows.binId.push(binId);
          rows.seq.push(seq);
          rows.id.push(request.id);
          rows.receivedAt.push(request.receivedAt);
          rows.method.push(request.method);
          rows.path.push(request.path);
          rows.query.push(request.query);
          rows.rawHeaders.push(JSON.stringify(request.rawHeaders));
          rows.body.push(asBuffer(request.body));
          rows.size.push(request.body.byteLength);
          rows.contentType.push(contentTypeOf(request.rawHeaders));
          rows.remote.push(request.remoteAddress);
          rows.recognition.push(
            request.recognition === undefined ? null : JSON.stringify(request.recognition),
          );
          rows.events.push(filterEvents(request.recognition));
        }
        if (cut > bin.evicted_through) {
          evict.binId.push(binId);
          evict.from.push(bin.evicted_through);
          evict.through.push(cut);
          evict.skipped.push(skipped);
        }
      }

      if (rows.id.length > 0 || evict.binId.length > 0) {
        await client.query(
          `WITH inserted AS (
             INSERT INTO requests (bin_id, seq, id, received_at, method, path, query, raw_headers,
               body, size, content_type, remote_address, recognition, events)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[],
               $6::text[], $7::text[], $8::text[], $9::bytea[], $10::int[], $11::text[],
               $12::text[], $13::text[], $14::text[])
           ), cut AS (
             SELECT * FROM unnest($15::text[], $16::bigint[], $17::bigint[], $18::int[])
               AS c(bin_id, after_seq, through, skipped)
           ), gone AS (
             DELETE FROM requests r USING cut
             WHERE r.bin_id = cut.bin_id AND r.seq > cut.after_seq AND r.seq <= cut.through
             RETURNING r.bin_id
           )
           UPDATE bins b SET
             evicted_count = b.evicted_count + cut.skipped
               + (SELECT count(*) FROM gone WHERE gone.bin_id = cut.bin_id),
             evicted_through = cut.through
           FROM cut WHERE b.id = cut.bin_id`,
          [
            rows.binId,
            rows.seq,
            rows.id,
            rows.receivedAt,
            rows.method,
            rows.path,
            rows.query,
            rows.rawHeaders,
            rows.body,
            rows.size,
            rows.contentType,
            rows.remote,
            rows.recognition,
            rows.events,
            evict.binId,
            evict.from,
            evict.through,
            evict.skipped,
          ],
        );
      }
      return results;
    });
  }

  const batcher = createBatcher(writeBatch, {
    maxBatch: options.maxBatch ?? 512,
    // Batches of one bin queue on its row lock anyway; two in flight overlap the round trips.
    maxInFlight: 2,
  });

  function listSql(withBody: boolean, method: boolean, event: boolean): string {
    let n = 1;
    const where = [`bin_id = $${n++}`];
    if (method) where.push(`method = $${n++}`);
    if (event) where.push(`strpos(events, $${n++}) > 0`);
    where.push(`seq < $${n++}`);
    return `SELECT ${summaryColumns}${withBody ? ', body' : ''} FROM requests
      WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${n}`;
  }

  async function list(binId: string, query: RequestQuery): Promise<RequestPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const params: unknown[] = [binId];
    if (query.method) params.push(query.method.toUpperCase());
    if (query.event) params.push(` ${query.event} `);
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const shape = (row: FullRow) => {
      const summary = toSummary(row);
      return query.includeBody ? { ...summary, body: row.body } : summary;
    };

    if (!query.q) {
      const sql = listSql(query.includeBody, !!query.method, !!query.event);
      const { rows } = await pool.query<FullRow>(sql, [...params, before, limit + 1]);
      const more = rows.length > limit;
      const items = rows.slice(0, limit).map(shape);
      return { items, nextBefore: more ? items[items.length - 1]!.seq : undefined };
    }

    // Text search scans newest first in the process, within a budget (the SQLite driver's rules,
    // so both answer alike): a page that ran out of budget comes back short, with a cursor to
    // continue from where the scan stopped.
    const items: RequestPage['items'] = [];
    let scanned = 0;
    let bytes = 0;
    let lastScanned: number | undefined;
    const sql = listSql(true, !!query.method, !!query.event);
    for await (const row of scanRows(pool, sql, params, before, 200)) {
      if (items.length === limit) return { items, nextBefore: items[limit - 1]!.seq };
      if (scanned >= budget.rows || bytes >= budget.bytes) return { items, nextBefore: lastScanned };
      scanned += 1;
      bytes += row.size;
      lastScanned = row.seq;
      const request = {
        method: row.method,
        path: row.path,
        query: row.query,
        rawHeaders: JSON.parse(row.raw_headers) as string[],
        body: row.body,
      };
      if (requestMatches(query.q, request)) items.push(shape(row));
    }
    return { items, nextBefore: undefined };
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
    drain: () => batcher.drain(),
  };
}
