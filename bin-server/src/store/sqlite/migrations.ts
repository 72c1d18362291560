import type { Database } from 'better-sqlite3';
import { stepsToApply, type Migration, type SchemaPlace } from '../migrations.js';
import { fillRequestEvents, requestEventsSql } from './events.js';
import {
  fillSearchIndex,
  searchIndexSettingsSql,
  searchMergeSql,
  searchIndexSql,
  searchPendingSql,
} from './search-index.js';

/** A step, and what it computes in the process for the rows already stored (same transaction). */
interface SqliteMigration extends Migration {
  fill?: (db: Database) => void;
}

/**
 * The schema, as numbered steps (../migrations.ts): later parts add theirs at the end. Each runs
 * in its own transaction and is recorded in `schema_migrations`.
 */
export const migrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'capture bins, requests and settings',
    sql: `
      CREATE TABLE bins (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER NOT NULL,
        response      TEXT,                       -- BinResponse as JSON, NULL = default answer
        request_count INTEGER NOT NULL DEFAULT 0, -- also the last seq
        evicted_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX bins_last_used_at ON bins (last_used_at);

      CREATE TABLE requests (
        id             TEXT NOT NULL,
        bin_id         TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        received_at    INTEGER NOT NULL,
        method         TEXT NOT NULL,
        path           TEXT NOT NULL,
        query          TEXT NOT NULL,
        raw_headers    TEXT NOT NULL,             -- JSON array [name, value, name, value, ...]
        body           BLOB NOT NULL,
        size           INTEGER NOT NULL,
        content_type   TEXT NOT NULL,
        remote_address TEXT NOT NULL,
        recognition    TEXT,                      -- Recognition as JSON
        events         TEXT NOT NULL DEFAULT ''   -- ' a b ' : event ids the event= filter matches
      ) STRICT;
      -- (bin_id, seq) serves listing, cursors and the ring buffer's range delete.
      CREATE UNIQUE INDEX requests_bin_seq ON requests (bin_id, seq);
      CREATE UNIQUE INDEX requests_id ON requests (id);

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'sandbox webhooks, delivery outbox and attempt log',
    sql: `
      -- The plugin's wu_webhooks columns, plus how the dispatcher sends (profile, secret).
      CREATE TABLE webhooks (
        id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, like MySQL's
        name             TEXT NOT NULL,
        webhook_url      TEXT NOT NULL,
        event            TEXT NOT NULL,
        event_count      INTEGER NOT NULL DEFAULT 0,
        active           INTEGER NOT NULL,
        hidden           INTEGER NOT NULL DEFAULT 0,
        integration      TEXT NOT NULL,
        date_created     INTEGER NOT NULL,
        date_modified    INTEGER NOT NULL,
        date_last_failed INTEGER,
        migrated_from_id INTEGER NOT NULL DEFAULT 0,
        profile          TEXT NOT NULL,
        secret           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX webhooks_event ON webhooks (event);

      -- A fired payload, stored once for all the deliveries of that fire.
      CREATE TABLE payloads (
        id      INTEGER PRIMARY KEY,
        payload TEXT NOT NULL
      ) STRICT;

      -- The outbox. Rows stay small (the payload lives in payloads) because the dispatcher
      -- rewrites them on every claim and attempt. seq orders the history (cursors); no foreign
      -- key to webhooks: the log outlives them.
      CREATE TABLE deliveries (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        id              TEXT NOT NULL,
        webhook_id      INTEGER NOT NULL,
        event           TEXT NOT NULL,
        payload_id      INTEGER NOT NULL REFERENCES payloads (id),
        profile         TEXT NOT NULL,
        url             TEXT NOT NULL,
        origin          TEXT NOT NULL,              -- scheme://host:port, for per-target limits
        status          TEXT NOT NULL,
        attempt_count   INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        next_attempt_at INTEGER,
        lease_owner     TEXT,
        lease_until     INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX deliveries_id ON deliveries (id);
      -- Small partial indexes: the dispatcher's hot queries only look at live rows.
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at, seq) WHERE status = 'pending';
      CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'delivering';
      CREATE INDEX deliveries_webhook ON deliveries (webhook_id, seq);
      CREATE INDEX deliveries_event ON deliveries (event, seq);
      CREATE INDEX deliveries_payload ON deliveries (payload_id);

      -- Keyed by the delivery's seq, which only grows: attempts are appended, not scattered.
      CREATE TABLE delivery_attempts (
        delivery_seq    INTEGER NOT NULL,
        number          INTEGER NOT NULL,
        attempt         TEXT NOT NULL,              -- the core Attempt as JSON, request.body aside
        request_body    TEXT,                       -- NULL: the body sent was the payload itself
        outcome         TEXT NOT NULL,
        next_attempt_at INTEGER,
        reason          TEXT,
        PRIMARY KEY (delivery_seq, number)
      ) STRICT, WITHOUT ROWID;
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
      -- (deleted, cleared, evicted by the ring buffer, its bin deleted or expired): the trigger
      -- keeps that in one place. seq orders a request's replays.
      CREATE TABLE request_replays (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL,
        bin_id       TEXT NOT NULL,
        request_id   TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        record       TEXT NOT NULL,                -- edits and the attempt as JSON, body aside
        request_body BLOB                          -- NULL: the captured body was sent as is
      ) STRICT;
      CREATE UNIQUE INDEX request_replays_id ON request_replays (id);
      CREATE INDEX request_replays_request ON request_replays (request_id, seq);
      CREATE TRIGGER requests_drop_replays AFTER DELETE ON requests
      BEGIN
        DELETE FROM request_replays WHERE request_id = OLD.id;
      END;
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
      -- Matches counted per rule (first-N and percentage faults), shared by every instance.
      -- Saving the rules deletes the bin's rows (counts start again); so does deleting the bin.
      CREATE TABLE rule_counters (
        bin_id TEXT NOT NULL,
        rule   INTEGER NOT NULL,
        count  INTEGER NOT NULL,
        PRIMARY KEY (bin_id, rule)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER bins_drop_rule_counters AFTER DELETE ON bins
      BEGIN
        DELETE FROM rule_counters WHERE bin_id = OLD.id;
      END;
    `,
  },
  {
    version: 8,
    name: 'two-way forwarding',
    sql: `
      -- How each request held for a \`tail --respond\` forwarder ended (answered, timed out, the
      -- forwarder gone or failed) and the app's answer. Deleted with the request, like replays.
      CREATE TABLE request_forwards (
        request_id    TEXT PRIMARY KEY,
        bin_id        TEXT NOT NULL,
        held_at       INTEGER NOT NULL,
        timeout_ms    INTEGER NOT NULL,
        outcome       TEXT NOT NULL,               -- pending, answered, timed_out, gone, failed
        settled_at    INTEGER,
        record        TEXT,                        -- reason, app time, status and headers as JSON
        response_body BLOB                         -- the app's answer, exact bytes
      ) STRICT;
      CREATE TRIGGER requests_drop_forwards AFTER DELETE ON requests
      BEGIN
        DELETE FROM request_forwards WHERE request_id = OLD.id;
      END;
      -- The one responding forwarder of a bin, across instances: a lease its instance renews.
      CREATE TABLE bin_responders (
        bin_id      TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        timeout_ms  INTEGER NOT NULL,
        lease_until INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'text search index of requests',
    sql: searchIndexSql,
    fill: fillSearchIndex,
  },
  {
    version: 10,
    name: 'search index merge settings',
    sql: searchIndexSettingsSql,
  },
  {
    version: 11,
    name: 'event ids of requests',
    sql: requestEventsSql,
    fill: fillRequestEvents,
  },
  {
    version: 12,
    name: 'search index pending list',
    sql: searchPendingSql,
  },
  {
    version: 13,
    name: 'search index merged by the store',
    sql: searchMergeSql,
  },
];

/** The versions recorded in `schema_migrations` (none in a new, empty file). */
export function appliedVersions(db: Database): Set<number> {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (exists === undefined) return new Set();
  return new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
}

/** How a data file a newer umhooks wrote is refused (the message is shared with PostgreSQL's). */
export function dataFilePlace(file: string): SchemaPlace {
  return { what: `The data file ${file}`, remedy: 'upgrade umhooks, or use another --data' };
}

/**
 * Applies the steps the database has not seen; refuses a database made by a newer umhooks
 * (data-file.ts checks that before anything is written, this is the last guard).
 */
export function migrate(
  db: Database,
  steps: readonly SqliteMigration[] = migrations,
  place: SchemaPlace = dataFilePlace(db.name),
): void {
  const pending = stepsToApply(appliedVersions(db), steps, place);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const step of pending) {
    db.transaction(() => {
      db.exec(step.sql);
      step.fill?.(db);
      record.run(step.version, step.name, Date.now());
    }).immediate();
  }
}
