import type pg from 'pg';
import { NewerSchemaError, stepsToApply, type Migration } from '../migrations.js';
import { ensureSearchIndex, fillSearchText, type SearchIndexState } from './search-index.js';

/** A step, and what it computes in the process for the rows already stored (same transaction). */
interface PostgresMigration extends Migration {
  fill?: (client: pg.ClientBase) => Promise<void>;
}

/**
 * The PostgreSQL schema, as numbered steps (../migrations.ts; the same facts as the SQLite
 * driver's steps). Times are epoch milliseconds (BIGINT), like the Store contract.
 */
export const migrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'capture bins, requests and settings',
    sql: `
      CREATE TABLE bins (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        created_at    BIGINT NOT NULL,
        last_used_at  BIGINT NOT NULL,
        response      TEXT,                       -- BinResponse as JSON, NULL = default answer
        request_count BIGINT NOT NULL DEFAULT 0,  -- also the last seq; the row lock orders inserts
        evicted_count BIGINT NOT NULL DEFAULT 0,
        -- The ring buffer's cut: every seq at or below it is gone, so each eviction deletes only
        -- the range above it (never rescans what earlier evictions removed).
        evicted_through BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX bins_last_used_at ON bins (last_used_at);

      -- (bin_id, seq) serves listing, cursors and the ring buffer's range delete.
      CREATE TABLE requests (
        bin_id         TEXT NOT NULL,
        seq            BIGINT NOT NULL,
        id             TEXT NOT NULL UNIQUE,
        received_at    BIGINT NOT NULL,
        method         TEXT NOT NULL,
        path           TEXT NOT NULL,
        query          TEXT NOT NULL,
        raw_headers    TEXT NOT NULL,             -- JSON array [name, value, name, value, ...]
        body           BYTEA NOT NULL,
        size           INTEGER NOT NULL,
        content_type   TEXT NOT NULL,
        remote_address TEXT NOT NULL,
        recognition    TEXT,                      -- Recognition as JSON
        events         TEXT NOT NULL DEFAULT '',  -- ' a b ' : event ids the event= filter matches
        PRIMARY KEY (bin_id, seq)
      );

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- Stores one batch of captured requests in one round trip (see requests.ts). Per bin, in the
      -- given order (sorted by id: locks in one order never deadlock): lock the bin row, which
      -- orders inserters across instances; number the rows after its last seq; write those above
      -- the ring buffer's new cut; delete the older ones above the previous cut; count what went.
      -- Each statement here takes a fresh snapshot, so the delete sees every row committed by
      -- the batch that held the lock before. Bins that do not exist are left out of the result.
      CREATE FUNCTION capture_requests(
        p_bins TEXT[], p_counts INTEGER[], p_caps BIGINT[],
        p_ids TEXT[], p_received_ats BIGINT[], p_methods TEXT[], p_paths TEXT[],
        p_queries TEXT[], p_raw_headers TEXT[], p_bodies BYTEA[], p_sizes INTEGER[],
        p_content_types TEXT[], p_remotes TEXT[], p_recognitions TEXT[], p_events TEXT[]
      ) RETURNS TABLE (out_bin TEXT, out_last BIGINT)
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        v_start INTEGER := 1;  -- this bin's first row in the p_ids… arrays
        v_last BIGINT;
        v_through BIGINT;
        v_first BIGINT;
        v_cut BIGINT;
        v_gone BIGINT;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(p_bins, 1), 0) LOOP
          SELECT b.request_count, b.evicted_through INTO v_last, v_through
            FROM bins b WHERE b.id = p_bins[i] FOR UPDATE;
          IF FOUND THEN
            v_first := v_last + 1;
            v_last := v_last + p_counts[i];
            v_cut := v_last - p_caps[i];
            INSERT INTO requests (bin_id, seq, id, received_at, method, path, query, raw_headers,
              body, size, content_type, remote_address, recognition, events)
            SELECT p_bins[i], v_first + (k - v_start), p_ids[k], p_received_ats[k], p_methods[k],
              p_paths[k], p_queries[k], p_raw_headers[k], p_bodies[k], p_sizes[k],
              p_content_types[k], p_remotes[k], p_recognitions[k], p_events[k]
            FROM generate_series(v_start, v_start + p_counts[i] - 1) AS k
            WHERE v_first + (k - v_start) > v_cut;
            v_gone := 0;
            IF v_cut > v_through THEN
              DELETE FROM requests r
                WHERE r.bin_id = p_bins[i] AND r.seq > v_through AND r.seq <= v_cut;
              GET DIAGNOSTICS v_gone = ROW_COUNT;
              -- New rows already below the cut were never written: evicted at once.
              v_gone := v_gone + GREATEST(0, LEAST(p_counts[i], v_cut - v_first + 1));
              v_through := v_cut;
            END IF;
            UPDATE bins b SET request_count = v_last, evicted_count = b.evicted_count + v_gone,
              evicted_through = v_through
              WHERE b.id = p_bins[i];
            out_bin := p_bins[i];
            out_last := v_last;
            RETURN NEXT;
          END IF;
          v_start := v_start + p_counts[i];
        END LOOP;
      END
      $fn$;
    `,
  },
  {
    version: 2,
    name: 'sandbox webhooks, delivery outbox and attempt log',
    sql: `
      -- The plugin's wu_webhooks columns, plus how the dispatcher sends (profile, secret).
      CREATE TABLE webhooks (
        id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, -- never reused
        name             TEXT NOT NULL,
        webhook_url      TEXT NOT NULL,
        event            TEXT NOT NULL,
        event_count      BIGINT NOT NULL DEFAULT 0,
        active           BOOLEAN NOT NULL,
        hidden           BOOLEAN NOT NULL DEFAULT false,
        integration      TEXT NOT NULL,
        date_created     BIGINT NOT NULL,
        date_modified    BIGINT NOT NULL,
        date_last_failed BIGINT,
        migrated_from_id BIGINT NOT NULL DEFAULT 0,
        profile          TEXT NOT NULL,
        secret           TEXT NOT NULL
      );
      CREATE INDEX webhooks_event ON webhooks (event);

      -- A fired payload, stored once for all the deliveries of that fire.
      CREATE TABLE payloads (
        id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payload TEXT NOT NULL
      );

      -- The outbox. Rows stay small (the payload lives in payloads) because every claim and
      -- attempt rewrites them. seq orders the history (cursors); no foreign key to webhooks:
      -- the log outlives them.
      CREATE TABLE deliveries (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        webhook_id      BIGINT NOT NULL,
        event           TEXT NOT NULL,
        payload_id      BIGINT NOT NULL REFERENCES payloads (id),
        profile         TEXT NOT NULL,
        url             TEXT NOT NULL,
        origin          TEXT NOT NULL,              -- scheme://host:port, for per-target limits
        status          TEXT NOT NULL,
        attempt_count   INTEGER NOT NULL DEFAULT 0,
        created_at      BIGINT NOT NULL,
        next_attempt_at BIGINT,
        lease_owner     TEXT,
        lease_until     BIGINT
      );
      -- Small partial indexes: the dispatchers' hot queries only look at live rows.
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at, seq) WHERE status = 'pending';
      CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'delivering';
      CREATE INDEX deliveries_webhook ON deliveries (webhook_id, seq);
      CREATE INDEX deliveries_event ON deliveries (event, seq);
      CREATE INDEX deliveries_status ON deliveries (status, seq);
      CREATE INDEX deliveries_payload ON deliveries (payload_id);

      CREATE TABLE delivery_attempts (
        delivery_seq    BIGINT NOT NULL,
        number          INTEGER NOT NULL,
        attempt         TEXT NOT NULL,              -- the core Attempt as JSON, request.body aside
        request_body    TEXT,                       -- NULL: the body sent was the payload itself
        outcome         TEXT NOT NULL,
        next_attempt_at BIGINT,
        reason          TEXT,
        PRIMARY KEY (delivery_seq, number)
      );
    `,
  },
  {
    version: 3,
    name: 'pending deliveries by target',
    sql: `
      -- Claims that skip full targets look up the other targets' due work here, one seek per
      -- target, instead of walking every pending delivery of the full ones (deliveries.ts).
      CREATE INDEX deliveries_due_origin ON deliveries (origin, next_attempt_at, seq)
        WHERE status = 'pending';
    `,
  },
  {
    version: 4,
    name: 'signing secret of a bin',
    sql: `
      -- whsec_… of the sender posting to the bin; requests are verified when read.
      ALTER TABLE bins ADD COLUMN signing_secret TEXT;
    `,
  },
  {
    version: 5,
    name: 'replays of captured requests',
    sql: `
      -- A captured request sent again (UI, API). Deleted with the request, however it goes
      -- (deleted, cleared, evicted by the ring buffer, its bin deleted or expired): the foreign
      -- key keeps that in one place. seq orders a request's replays.
      CREATE TABLE request_replays (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        bin_id       TEXT NOT NULL,
        request_id   TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
        created_at   BIGINT NOT NULL,
        record       TEXT NOT NULL,                -- edits and the attempt as JSON, body aside
        request_body BYTEA                         -- NULL: the captured body was sent as is
      );
      CREATE INDEX request_replays_request ON request_replays (request_id, seq);
    `,
  },
  {
    version: 6,
    name: 'request limit of a bin',
    sql: `
      -- The bin's own cap on kept requests (1 .. --max-requests); NULL: the server's.
      ALTER TABLE bins ADD COLUMN max_requests INTEGER;
    `,
  },
  {
    version: 7,
    name: 'response rules of a bin',
    sql: `
      -- The bin's ordered response rules as JSON (ResponseRule[]); NULL: none.
      ALTER TABLE bins ADD COLUMN rules TEXT;
      -- Which rule answered a request and how (AnswerRecord as JSON); NULL: the bin had none.
      ALTER TABLE requests ADD COLUMN answer TEXT;
      -- Matches counted per rule (first-N and percentage faults), shared by every instance:
      -- one upsert counts atomically. Saving the rules deletes the bin's rows (counts start
      -- again); the foreign key drops them with the bin.
      CREATE TABLE rule_counters (
        bin_id TEXT NOT NULL REFERENCES bins (id) ON DELETE CASCADE,
        rule   INTEGER NOT NULL,
        count  BIGINT NOT NULL,
        PRIMARY KEY (bin_id, rule)
      );

      -- capture_requests as in step 1, with each request's answer record.
      DROP FUNCTION capture_requests(TEXT[], INTEGER[], BIGINT[], TEXT[], BIGINT[], TEXT[], TEXT[], TEXT[], TEXT[], BYTEA[], INTEGER[], TEXT[], TEXT[], TEXT[], TEXT[]);
      CREATE FUNCTION capture_requests(
        p_bins TEXT[], p_counts INTEGER[], p_caps BIGINT[],
        p_ids TEXT[], p_received_ats BIGINT[], p_methods TEXT[], p_paths TEXT[],
        p_queries TEXT[], p_raw_headers TEXT[], p_bodies BYTEA[], p_sizes INTEGER[],
        p_content_types TEXT[], p_remotes TEXT[], p_recognitions TEXT[], p_events TEXT[],
        p_answers TEXT[]
      ) RETURNS TABLE (out_bin TEXT, out_last BIGINT)
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        v_start INTEGER := 1;  -- this bin's first row in the p_ids… arrays
        v_last BIGINT;
        v_through BIGINT;
        v_first BIGINT;
        v_cut BIGINT;
        v_gone BIGINT;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(p_bins, 1), 0) LOOP
          SELECT b.request_count, b.evicted_through INTO v_last, v_through
            FROM bins b WHERE b.id = p_bins[i] FOR UPDATE;
          IF FOUND THEN
            v_first := v_last + 1;
            v_last := v_last + p_counts[i];
            v_cut := v_last - p_caps[i];
            INSERT INTO requests (bin_id, seq, id, received_at, method, path, query, raw_headers,
              body, size, content_type, remote_address, recognition, events, answer)
            SELECT p_bins[i], v_first + (k - v_start), p_ids[k], p_received_ats[k], p_methods[k],
              p_paths[k], p_queries[k], p_raw_headers[k], p_bodies[k], p_sizes[k],
              p_content_types[k], p_remotes[k], p_recognitions[k], p_events[k], p_answers[k]
            FROM generate_series(v_start, v_start + p_counts[i] - 1) AS k
            WHERE v_first + (k - v_start) > v_cut;
            v_gone := 0;
            IF v_cut > v_through THEN
              DELETE FROM requests r
                WHERE r.bin_id = p_bins[i] AND r.seq > v_through AND r.seq <= v_cut;
              GET DIAGNOSTICS v_gone = ROW_COUNT;
              -- New rows already below the cut were never written: evicted at once.
              v_gone := v_gone + GREATEST(0, LEAST(p_counts[i], v_cut - v_first + 1));
              v_through := v_cut;
            END IF;
            UPDATE bins b SET request_count = v_last, evicted_count = b.evicted_count + v_gone,
              evicted_through = v_through
              WHERE b.id = p_bins[i];
            out_bin := p_bins[i];
            out_last := v_last;
            RETURN NEXT;
          END IF;
          v_start := v_start + p_counts[i];
        END LOOP;
      END
      $fn$;
    `,
  },
  {
    version: 8,
    name: 'two-way forwarding',
    sql: `
      -- How each request held for a \`tail --respond\` forwarder ended (answered, timed out, the
      -- forwarder gone or failed) and the app's answer. Deleted with the request, like replays.
      CREATE TABLE request_forwards (
        request_id    TEXT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
        bin_id        TEXT NOT NULL,
        held_at       BIGINT NOT NULL,
        timeout_ms    INTEGER NOT NULL,
        outcome       TEXT NOT NULL,               -- pending, answered, timed_out, gone, failed
        settled_at    BIGINT,
        record        TEXT,                        -- reason, app time, status and headers as JSON
        response_body BYTEA                        -- the app's answer, exact bytes
      );
      -- The one responding forwarder of a bin, across instances: a lease its instance renews.
      CREATE TABLE bin_responders (
        bin_id      TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        timeout_ms  INTEGER NOT NULL,
        lease_until BIGINT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'text search index of requests',
    sql: `
      -- searchText (search.ts) of the request: what a text search looks in, lower-cased, filled
      -- for existing rows by fillSearchText and indexed by pg_trgm (search-index.ts).
      ALTER TABLE requests ADD COLUMN search TEXT;

      -- capture_requests as in step 7, writing the search text with the row.
      DROP FUNCTION capture_requests(TEXT[], INTEGER[], BIGINT[], TEXT[], BIGINT[], TEXT[], TEXT[],
        TEXT[], TEXT[], BYTEA[], INTEGER[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[]);
      CREATE FUNCTION capture_requests(
        p_bins TEXT[], p_counts INTEGER[], p_caps BIGINT[],
        p_ids TEXT[], p_received_ats BIGINT[], p_methods TEXT[], p_paths TEXT[],
        p_queries TEXT[], p_raw_headers TEXT[], p_bodies BYTEA[], p_sizes INTEGER[],
        p_content_types TEXT[], p_remotes TEXT[], p_recognitions TEXT[], p_events TEXT[],
        p_answers TEXT[], p_searches TEXT[]
      ) RETURNS TABLE (out_bin TEXT, out_last BIGINT)
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        v_start INTEGER := 1;  -- this bin's first row in the p_ids… arrays
        v_last BIGINT;
        v_through BIGINT;
        v_first BIGINT;
        v_cut BIGINT;
        v_gone BIGINT;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(p_bins, 1), 0) LOOP
          SELECT b.request_count, b.evicted_through INTO v_last, v_through
            FROM bins b WHERE b.id = p_bins[i] FOR UPDATE;
          IF FOUND THEN
            v_first := v_last + 1;
            v_last := v_last + p_counts[i];
            v_cut := v_last - p_caps[i];
            INSERT INTO requests (bin_id, seq, id, received_at, method, path, query, raw_headers,
              body, size, content_type, remote_address, recognition, events, answer, search)
            SELECT p_bins[i], v_first + (k - v_start), p_ids[k], p_received_ats[k], p_methods[k],
              p_paths[k], p_queries[k], p_raw_headers[k], p_bodies[k], p_sizes[k],
              p_content_types[k], p_remotes[k], p_recognitions[k], p_events[k], p_answers[k],
              p_searches[k]
            FROM generate_series(v_start, v_start + p_counts[i] - 1) AS k
            WHERE v_first + (k - v_start) > v_cut;
            v_gone := 0;
            IF v_cut > v_through THEN
              DELETE FROM requests r
                WHERE r.bin_id = p_bins[i] AND r.seq > v_through AND r.seq <= v_cut;
              GET DIAGNOSTICS v_gone = ROW_COUNT;
              -- New rows already below the cut were never written: evicted at once.
              v_gone := v_gone + GREATEST(0, LEAST(p_counts[i], v_cut - v_first + 1));
              v_through := v_cut;
            END IF;
            UPDATE bins b SET request_count = v_last, evicted_count = b.evicted_count + v_gone,
              evicted_through = v_through
              WHERE b.id = p_bins[i];
            out_bin := p_bins[i];
            out_last := v_last;
            RETURN NEXT;
          END IF;
          v_start := v_start + p_counts[i];
        END LOOP;
      END
      $fn$;
    `,
    fill: fillSearchText,
  },
  {
    version: 10,
    name: 'text search by the trigram index alone',
    sql: `
      -- A bin's requests whose search text matches a LIKE pattern, found by the trigram index
      -- (search-index.ts) alone. Left to itself the planner filtered the bin's rows by the LIKE
      -- (10k rows: a bitmap of the bin by the primary key, or a whole-table scan once analyzed)
      -- or intersected the trigram index with the bin's whole range of the primary key (100k,
      -- 1M): a walk over every row of the bin. Here the match comes first, on the pattern alone
      -- (MATERIALIZED: the bin's and cursor's conditions are not pushed into it, where the
      -- primary key could take them), and the function's setting leaves the trigram index as the
      -- only way to evaluate it; the rows found are then cut to the bin and the cursor. Called
      -- only where the index exists (requests.ts).
      CREATE FUNCTION search_requests(p_pattern TEXT, p_bin TEXT, p_before BIGINT)
        RETURNS SETOF requests
        LANGUAGE sql STABLE SET search_path FROM CURRENT SET enable_seqscan = off AS $fn$
        WITH hits AS MATERIALIZED (SELECT * FROM requests WHERE search LIKE p_pattern)
        SELECT * FROM hits WHERE bin_id = p_bin AND seq < p_before
      $fn$;
    `,
  },
  {
    version: 11,
    name: 'event ids of requests',
    sql: `
      -- One row per event id a request's event= filter matches (columns.ts eventIds, the same
      -- ids as requests.events), so event= reads the bin's rows of that event newest first
      -- instead of walking the bin. Written by capture_requests with the request; the foreign
      -- key removes them with it, however it goes (deleted, cleared, evicted, bin deleted or
      -- expired). The primary key serves that delete; the index serves event=.
      CREATE TABLE request_events (
        bin_id TEXT NOT NULL,
        seq    BIGINT NOT NULL,
        event  TEXT NOT NULL,
        PRIMARY KEY (bin_id, seq, event),
        FOREIGN KEY (bin_id, seq) REFERENCES requests (bin_id, seq) ON DELETE CASCADE
      );
      CREATE INDEX request_events_event ON request_events (bin_id, event, seq);
      -- The stored requests' ids, from the events column (' a b ').
      INSERT INTO request_events (bin_id, seq, event)
        SELECT DISTINCT r.bin_id, r.seq, e.event
        FROM requests r, unnest(string_to_array(btrim(r.events, ' '), ' ')) AS e (event)
        WHERE r.events <> '' AND e.event <> '';

      -- The window of a text search's probe (requests.ts): a bin's newest rows below a cursor,
      -- with the method and event filters (NULL: none), walked in seq order on the primary key or
      -- request_events' index. Without statistics (rows written since the last ANALYZE) the
      -- planner expected a few dozen rows for the bin and read all of them by a bitmap, then
      -- sorted (100k: 110 ms); with the bitmap and the sort off, the walk that stops after p_rows
      -- is the plan.
      CREATE FUNCTION newest_requests(
        p_bin TEXT, p_before BIGINT, p_rows BIGINT, p_method TEXT, p_event TEXT
      ) RETURNS TABLE (seq BIGINT, size INTEGER, search TEXT)
      LANGUAGE sql STABLE SET search_path FROM CURRENT
        SET enable_bitmapscan = off SET enable_sort = off AS $fn$
        (SELECT r.seq, r.size, r.search FROM requests r
          WHERE p_event IS NULL AND r.bin_id = p_bin AND r.seq < p_before
            AND (p_method IS NULL OR r.method = p_method)
          ORDER BY r.seq DESC LIMIT p_rows)
        UNION ALL
        (SELECT e.seq, r.size, r.search FROM request_events e
          JOIN requests r ON r.bin_id = e.bin_id AND r.seq = e.seq
          WHERE p_event IS NOT NULL AND e.bin_id = p_bin AND e.event = p_event
            AND e.seq < p_before AND (p_method IS NULL OR r.method = p_method)
          ORDER BY e.seq DESC LIMIT p_rows)
      $fn$;

      -- capture_requests as in step 9, writing each request's event ids: p_event_rows[j] is the
      -- position (in p_ids…) of the request that p_event_ids[j] belongs to.
      DROP FUNCTION capture_requests(TEXT[], INTEGER[], BIGINT[], TEXT[], BIGINT[], TEXT[], TEXT[],
        TEXT[], TEXT[], BYTEA[], INTEGER[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[]);
      CREATE FUNCTION capture_requests(
        p_bins TEXT[], p_counts INTEGER[], p_caps BIGINT[],
        p_ids TEXT[], p_received_ats BIGINT[], p_methods TEXT[], p_paths TEXT[],
        p_queries TEXT[], p_raw_headers TEXT[], p_bodies BYTEA[], p_sizes INTEGER[],
        p_content_types TEXT[], p_remotes TEXT[], p_recognitions TEXT[], p_events TEXT[],
        p_answers TEXT[], p_searches TEXT[], p_event_rows INTEGER[], p_event_ids TEXT[]
      ) RETURNS TABLE (out_bin TEXT, out_last BIGINT)
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        v_start INTEGER := 1;  -- this bin's first row in the p_ids… arrays
        v_last BIGINT;
        v_through BIGINT;
        v_first BIGINT;
        v_cut BIGINT;
        v_gone BIGINT;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(p_bins, 1), 0) LOOP
          SELECT b.request_count, b.evicted_through INTO v_last, v_through
            FROM bins b WHERE b.id = p_bins[i] FOR UPDATE;
          IF FOUND THEN
            v_first := v_last + 1;
            v_last := v_last + p_counts[i];
            v_cut := v_last - p_caps[i];
            INSERT INTO requests (bin_id, seq, id, received_at, method, path, query, raw_headers,
              body, size, content_type, remote_address, recognition, events, answer, search)
            SELECT p_bins[i], v_first + (k - v_start), p_ids[k], p_received_ats[k], p_methods[k],
              p_paths[k], p_queries[k], p_raw_headers[k], p_bodies[k], p_sizes[k],
              p_content_types[k], p_remotes[k], p_recognitions[k], p_events[k], p_answers[k],
              p_searches[k]
            FROM generate_series(v_start, v_start + p_counts[i] - 1) AS k
            WHERE v_first + (k - v_start) > v_cut;
            INSERT INTO request_events (bin_id, seq, event)
            SELECT p_bins[i], v_first + (e.k - v_start), e.event
            FROM unnest(p_event_rows, p_event_ids) AS e (k, event)
            WHERE e.k >= v_start AND e.k < v_start + p_counts[i]
              AND v_first + (e.k - v_start) > v_cut;
            v_gone := 0;
            IF v_cut > v_through THEN
              DELETE FROM requests r
                WHERE r.bin_id = p_bins[i] AND r.seq > v_through AND r.seq <= v_cut;
              GET DIAGNOSTICS v_gone = ROW_COUNT;
              -- New rows already below the cut were never written: evicted at once.
              v_gone := v_gone + GREATEST(0, LEAST(p_counts[i], v_cut - v_first + 1));
              v_through := v_cut;
            END IF;
            UPDATE bins b SET request_count = v_last, evicted_count = b.evicted_count + v_gone,
              evicted_through = v_through
              WHERE b.id = p_bins[i];
            out_bin := p_bins[i];
            out_last := v_last;
            RETURN NEXT;
          END IF;
          v_start := v_start + p_counts[i];
        END LOOP;
      END
      $fn$;
    `,
  },
  {
    version: 12,
    name: 'text search by a per-bin trigram index',
    sql: `
      -- search_requests as in step 10, asking the per-bin trigram index (search-index.ts) for the
      -- bin and the pattern together: GIN intersects the bin's entry with the pattern's trigrams,
      -- so a needle common in other bins costs this bin's matches only (step 10 read every match
      -- of the table, then cut them to the bin). ARRAY[bin_id] @> ARRAY[p_bin] is how the index's
      -- first column is asked; the primary key cannot answer it, so the planner has no walk of
      -- the bin to prefer, and with the sequential scan off the index is the plan. The cursor is
      -- checked on the rows found (as a range in the index it would read the whole bin).
      CREATE OR REPLACE FUNCTION search_requests(p_pattern TEXT, p_bin TEXT, p_before BIGINT)
        RETURNS SETOF requests
        LANGUAGE sql STABLE SET search_path FROM CURRENT SET enable_seqscan = off AS $fn$
        SELECT * FROM requests
        WHERE ARRAY[bin_id] @> ARRAY[p_bin] AND search LIKE p_pattern AND seq < p_before
      $fn$;
    `,
  },
];

/** Why the schema could not be brought up to date (the message says what to do). */
class MigrationError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
  }
}

/** A fixed 32-bit key (“umhk”) plus the schema's hash: one migration lock per schema. */
const LOCK_CLASS = 0x756d686b;

/**
 * Applies the steps this schema has not seen, creating the schema if needed. Several instances
 * starting together queue on a session advisory lock, so exactly one applies each step and the
 * others find it done; a crash releases the lock with its session. Each step commits on its own
 * with its `schema_migrations` row. Refuses a schema written by a newer umhooks.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  steps: readonly PostgresMigration[] = migrations,
): Promise<SearchIndexState> {
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
  try {
    await applySteps(client, schema, steps);
    return await ensureSearchIndex(client, schema);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, schema]);
  }
}

async function applySteps(
  client: pg.ClientBase,
  schema: string,
  steps: readonly PostgresMigration[],
): Promise<void> {
  try {
    // The schema name is checked against a strict pattern (connection.ts) before it gets here.
    // Looked up first: a schema created beforehand needs no right to create schemas.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((r) => Number(r.version)));
    const pending = stepsToApply(applied, steps, {
      what: `The PostgreSQL schema "${schema}"`,
      remedy: 'upgrade every instance, or use another schema (?schema= in the --store URL)',
    });
    for (const step of pending) {
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await step.fill?.(client);
        await client.query(
          `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
          [step.version, step.name, Date.now()],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(
          `Migration ${step.version} (${step.name}) failed on schema "${schema}": ${(error as Error).message}`,
          error,
        );
      }
    }
  } catch (error) {
    if (error instanceof MigrationError || error instanceof NewerSchemaError) throw error;
    throw new MigrationError(
      `Cannot prepare the PostgreSQL schema "${schema}": ${(error as Error).message}. The --store user needs the right to create a schema and tables in this database (or create the schema beforehand and grant it).`,
      error,
    );
  }
}
