import type { Database, Statement } from 'better-sqlite3';
import type {
  Delivery,
  DeliveryQuery,
  DeliveryStatus,
  DeliveryStore,
  NewDelivery,
  StoredAttempt,
} from '../types.js';
import {
  attemptJson,
  orderClaimed,
  toClaimed,
  toDelivery,
  withAttempts,
  type AttemptRow,
  type DeliveryRow,
  type DeliveryWithPayload,
  type PayloadRow,
} from '../rows/deliveries.js';
import { deliveryConditions, deliveryCursor } from '../queries/deliveries.js';
import { pageOf } from '../queries/pages.js';
import { anonymous, Where } from '../queries/where.js';
import { originOf } from '../origin.js';
import type { WriteGate } from './write-gate.js';
import type { WriteQueue } from './write-queue.js';

/** Most rows written by one statement (5 to 9 parameters each). */
const RECORD_ROWS = 64;

interface Recording {
  owner: string;
  attempt: StoredAttempt;
  next: Pick<Delivery, 'status' | 'nextAttemptAt'>;
}

interface MovedRow {
  id: string;
  seq: number;
  payload_id: number;
}

interface ClaimArgs {
  owner: string;
  now: number;
  until: number;
  limit: number;
  exclude: string;
}

/**
 * The outbox on SQLite. Delivery rows are small and the payload of a fire is stored once: the
 * dispatcher rewrites a row on every claim and attempt, so its size is what those cost. An
 * attempt's request body is stored only when it differs from the payload (the plugin profile's
 * PHP encoding); the standard profile sends the payload text itself.
 */
export function createSqliteDeliveryStore(
  db: Database,
  writes: WriteQueue,
  gate?: WriteGate,
): DeliveryStore {
  const insertPayload = db.prepare<[string]>('INSERT INTO payloads (payload) VALUES (?)');
  /**
   * A statement of `rows` rows, prepared once per row count: `sql` gets the VALUES list, `row`
   * once per row.
   */
  function statementsByRows<R = unknown>(row: string, sql: (values: string) => string) {
    const prepared = new Map<number, Statement<unknown[], R>>();
    return (rows: number) => {
      let statement = prepared.get(rows);
      if (!statement) {
        statement = db.prepare<unknown[], R>(sql(Array<string>(rows).fill(row).join(', ')));
        prepared.set(rows, statement);
      }
      return statement;
    };
  }
  // A fire's deliveries are written by one multi-row statement per RECORD_ROWS of them (each
  // run of a statement costs its call and step whatever it writes); prepared per row count.
  const insertRows = statementsByRows(
    "(?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
    (values) => `
      INSERT INTO deliveries (id, webhook_id, event, payload_id, profile, url, origin, status,
        attempt_count, created_at, next_attempt_at)
      VALUES ${values}`,
  );
  // Its own savepoint inside the group commit: a fire is queued whole or not at all.
  const insertAll = db.transaction((deliveries: readonly NewDelivery[]) => {
    const payloadIds = new Map<string, number>();
    for (let start = 0; start < deliveries.length; start += RECORD_ROWS) {
      const chunk = deliveries.slice(start, start + RECORD_ROWS);
      const values: unknown[] = [];
      for (const d of chunk) {
        let payloadId = payloadIds.get(d.payload);
        if (payloadId === undefined) {
          payloadId = Number(insertPayload.run(d.payload).lastInsertRowid);
          payloadIds.set(d.payload, payloadId);
        }
        values.push(
          d.id,
          d.webhookId,
          d.event,
          payloadId,
          d.profile,
          d.url,
          originOf(d.url),
          d.createdAt,
          d.createdAt,
        );
      }
      insertRows(chunk.length).run(values);
    }
  });

  // The hot queries name their partial index so the planner never sorts a backlog instead.

  // A lease that expired belongs to a dead or stuck worker: take it over, oldest first. Our own
  // expired leases are skipped: this process still tracks that work in memory.
  const claimExpired = db.prepare<ClaimArgs, DeliveryRow>(`
    UPDATE deliveries SET lease_owner = @owner, lease_until = @until
    WHERE seq IN (
      SELECT seq FROM deliveries INDEXED BY deliveries_leased
      WHERE status = 'delivering' AND lease_until <= @now AND lease_owner IS NOT @owner
        AND origin NOT IN (SELECT value FROM json_each(@exclude))
      ORDER BY lease_until LIMIT @limit)
    RETURNING *`);
  const claimDue = db.prepare<Omit<ClaimArgs, 'exclude'>, DeliveryRow>(`
    UPDATE deliveries SET status = 'delivering', lease_owner = @owner, lease_until = @until
    WHERE seq IN (
      SELECT seq FROM deliveries INDEXED BY deliveries_due
      WHERE status = 'pending' AND next_attempt_at <= @now
      ORDER BY next_attempt_at, seq LIMIT @limit)
    RETURNING *`);
  // Skipping full targets must not mean walking their backlog: with one busy receiver, every
  // claim scanned all its pending deliveries only to skip them (measured: 1-5 ms a claim with
  // 10,000-40,000 waiting, most of the dispatcher's time). Instead the targets with pending work
  // are listed by skip-scan (one seek each), and the due work of those with room is read per
  // target, oldest first.
  const pendingOrigins = db
    .prepare<[], string>(
      `WITH RECURSIVE targets(origin) AS (
         SELECT (SELECT min(origin) FROM deliveries INDEXED BY deliveries_due_origin
                 WHERE status = 'pending')
         UNION ALL
         SELECT (SELECT min(origin) FROM deliveries INDEXED BY deliveries_due_origin
                 WHERE status = 'pending' AND origin > targets.origin)
         FROM targets WHERE targets.origin IS NOT NULL)
       SELECT origin FROM targets WHERE origin IS NOT NULL`,
    )
    .pluck();
  const dueOfOrigin = db.prepare<
    { origin: string; now: number; limit: number },
    { seq: number; next_attempt_at: number }
  >(`
    SELECT seq, next_attempt_at FROM deliveries INDEXED BY deliveries_due_origin
    WHERE status = 'pending' AND origin = @origin AND next_attempt_at <= @now
    ORDER BY next_attempt_at, seq LIMIT @limit`);
  const claimSeqs = db.prepare<{ owner: string; until: number; seqs: string }, DeliveryRow>(`
    UPDATE deliveries SET status = 'delivering', lease_owner = @owner, lease_until = @until
    WHERE seq IN (SELECT value FROM json_each(@seqs)) AND status = 'pending'
    RETURNING *`);
  function claimDueExcept(args: ClaimArgs, excluded: ReadonlySet<string>): DeliveryRow[] {
    const due: Array<{ seq: number; next_attempt_at: number }> = [];
    for (const origin of pendingOrigins.all()) {
      if (excluded.has(origin)) continue;
      due.push(...dueOfOrigin.all({ origin, now: args.now, limit: args.limit }));
    }
    if (due.length === 0) return [];
    due.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.seq - b.seq);
    const seqs = JSON.stringify(due.slice(0, args.limit).map((d) => d.seq));
    return claimSeqs.all({ owner: args.owner, until: args.until, seqs });
  }
  const payloadsOf = db.prepare<[string], PayloadRow>(
    'SELECT id, payload FROM payloads WHERE id IN (SELECT value FROM json_each(?))',
  );
  const claimBoth = db.transaction((args: ClaimArgs, excluded: ReadonlySet<string>) => {
    const expired = claimExpired.all(args);
    const limit = args.limit - expired.length;
    if (limit <= 0) return expired;
    const { exclude: _exclude, ...rest } = args;
    const due =
      excluded.size === 0
        ? claimDue.all({ ...rest, limit })
        : claimDueExcept({ ...args, limit }, excluded);
    return [...expired, ...due];
  });

  // The deliveries of one fire share a payload: keep the last few at hand for recordAttempt.
  const payloadOf = db
    .prepare<[number], string>('SELECT payload FROM payloads WHERE id = ?')
    .pluck();
  const recentPayloads = new Map<number, string>();
  const payloadById = (id: number): string | undefined => {
    let payload = recentPayloads.get(id);
    if (payload === undefined) {
      payload = payloadOf.get(id);
      if (payload === undefined) return undefined;
      if (recentPayloads.size >= 64) recentPayloads.delete(recentPayloads.keys().next().value!);
      recentPayloads.set(id, payload);
    }
    return payload;
  };
  // The attempts recorded within one group commit are written by one multi-row statement per
  // table (per RECORD_ROWS of them) instead of two statements each.
  // v: (id, owner, status, next_attempt_at, attempt_count); the planner walks v and finds each
  // delivery by id (deliveries_id).
  const finishRows = statementsByRows<MovedRow>(
    '(?, ?, ?, ?, ?)',
    (values) => `
      UPDATE deliveries INDEXED BY deliveries_id
      SET status = v.column3, next_attempt_at = v.column4, attempt_count = v.column5,
          lease_owner = NULL, lease_until = NULL
      FROM (VALUES ${values}) AS v
      WHERE deliveries.id = v.column1 AND deliveries.lease_owner = v.column2
        AND deliveries.status = 'delivering'
      RETURNING id, seq, payload_id`,
  );
  const insertAttemptRows = statementsByRows(
    '(?, ?, ?, ?, ?, ?, ?)',
    (values) => `
      INSERT OR REPLACE INTO delivery_attempts
        (delivery_seq, number, attempt, request_body, outcome, next_attempt_at, reason)
      VALUES ${values}`,
  );
  // Rows of one chunk: the delivery's move and its attempt row. A delivery recorded twice in one
  // group (a lease lost and taken over in between) starts a new chunk, so each one is decided
  // after the one before it, as when every attempt was its own statement.
  function recordChunk(chunk: readonly Recording[], results: boolean[], from: number): void {
    const moves: unknown[] = [];
    for (const { owner, attempt, next } of chunk) {
      moves.push(
        attempt.deliveryId,
        owner,
        next.status,
        next.nextAttemptAt ?? null,
        attempt.number,
      );
    }
    const moved = new Map<string, MovedRow>();
    for (const row of finishRows(chunk.length).all(moves)) moved.set(row.id, row);
    const rows: unknown[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const { attempt } = chunk[i]!;
      const row = moved.get(attempt.deliveryId);
      results[from + i] = row !== undefined;
      if (row === undefined) continue;
      const body = attempt.request.body;
      // Most bodies are the payload text itself: keep one copy. Compare lengths first.
      const payload = payloadById(row.payload_id);
      const sameAsPayload =
        payload !== undefined && payload.length === body.length && payload === body;
      rows.push(
        row.seq,
        attempt.number,
        attemptJson(attempt),
        sameAsPayload ? null : body,
        attempt.outcome,
        attempt.nextAttemptAt ?? null,
        attempt.reason ?? null,
      );
    }
    if (rows.length > 0) insertAttemptRows(rows.length / 7).run(rows);
  }
  // Its own savepoint inside the group commit: the moves and the attempt rows, all or none.
  const recordAll = db.transaction((batch: readonly Recording[]): boolean[] => {
    const results: boolean[] = new Array<boolean>(batch.length);
    const ids = new Set<string>();
    let start = 0;
    for (let i = 0; i < batch.length; i++) {
      const id = batch[i]!.attempt.deliveryId;
      if (i - start === RECORD_ROWS || ids.has(id)) {
        recordChunk(batch.slice(start, i), results, start);
        ids.clear();
        start = i;
      }
      ids.add(id);
    }
    recordChunk(batch.slice(start), results, start);
    return results;
  });
  // The attempts waiting for the next group commit, and what it will say of each.
  let recording: Recording[] | undefined;
  let recorded: Promise<boolean[]> | undefined;
  const renewAll = db.prepare(`
    UPDATE deliveries INDEXED BY deliveries_leased SET lease_until = ?
    WHERE status = 'delivering' AND lease_owner = ?`);
  const releaseSome = db.prepare(`
    UPDATE deliveries INDEXED BY deliveries_id
    SET status = 'pending', lease_owner = NULL, lease_until = NULL
    WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner = ? AND status = 'delivering'`);
  const selectOne = db.prepare<[string], DeliveryWithPayload>(`
    SELECT d.*, p.payload FROM deliveries d JOIN payloads p ON p.id = d.payload_id
    WHERE d.id = ?`);
  const leaseOne = db.prepare<{ seq: number; owner: string; until: number }>(`
    UPDATE deliveries SET status = 'delivering', lease_owner = @owner, lease_until = @until
    WHERE seq = @seq`);
  // Read and lease in one transaction: nothing else writes in between.
  const claimById = db.transaction((id: string, owner: string, now: number, until: number) => {
    const row = selectOne.get(id);
    if (!row) return undefined;
    if (row.status === 'delivering' && (row.lease_until ?? 0) > now) return 'busy' as const;
    leaseOne.run({ seq: row.seq, owner, until });
    return {
      delivery: toDelivery(
        { ...row, status: 'delivering', lease_owner: owner, lease_until: until },
        row.payload,
      ),
      before: {
        status: row.status as DeliveryStatus,
        nextAttemptAt: row.next_attempt_at ?? undefined,
      },
    };
  });

  const attemptsOf = db.prepare<[number], AttemptRow>(
    'SELECT * FROM delivery_attempts WHERE delivery_seq = ? ORDER BY number',
  );
  const attemptsOfMany = db.prepare<[string], AttemptRow>(`
    SELECT * FROM delivery_attempts
    WHERE delivery_seq IN (SELECT value FROM json_each(?)) ORDER BY delivery_seq, number`);
  const seqOf = db.prepare<[string], number>('SELECT seq FROM deliveries WHERE id = ?').pluck();
  const earliest = db
    .prepare<[], number | null>(
      `SELECT min(due) FROM (
         SELECT min(next_attempt_at) AS due FROM deliveries INDEXED BY deliveries_due
         WHERE status = 'pending'
         UNION ALL
         SELECT min(lease_until) FROM deliveries INDEXED BY deliveries_leased
         WHERE status = 'delivering')`,
    )
    .pluck();

  const pruneSome = db.transaction((olderThan: number, limit: number) => {
    const doomed = db
      .prepare<[number, number], { seq: number; payload_id: number }>(
        `SELECT seq, payload_id FROM deliveries
         WHERE status IN ('succeeded', 'failed', 'gave-up') AND created_at < ?
         ORDER BY seq LIMIT ?`,
      )
      .all(olderThan, limit);
    if (doomed.length === 0) return 0;
    const seqs = JSON.stringify(doomed.map((d) => d.seq));
    db.prepare(
      'DELETE FROM delivery_attempts WHERE delivery_seq IN (SELECT value FROM json_each(?))',
    ).run(seqs);
    db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT value FROM json_each(?))').run(seqs);
    const payloadIds = JSON.stringify([...new Set(doomed.map((d) => d.payload_id))]);
    db.prepare(
      `DELETE FROM payloads WHERE id IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM deliveries WHERE payload_id = payloads.id)`,
    ).run(payloadIds);
    return doomed.length;
  });

  return {
    async prune(olderThan, limit) {
      return pruneSome(olderThan, limit);
    },

    async enqueue(deliveries) {
      if (deliveries.length === 0) return;
      await writes.run(() => insertAll(deliveries));
    },

    async claim(owner, { now, leaseMs, limit, excludeOrigins = [] }) {
      if (limit <= 0) return [];
      await gate?.opened();
      const rows = claimBoth(
        { owner, now, until: now + leaseMs, limit, exclude: JSON.stringify(excludeOrigins) },
        new Set(excludeOrigins),
      );
      if (rows.length === 0) return [];
      const ids = orderClaimed(rows);
      return toClaimed(rows, payloadsOf.all(JSON.stringify(ids)));
    },

    async claimOne(owner, id, { now, leaseMs }) {
      await gate?.opened();
      return claimById(id, owner, now, now + leaseMs);
    },

    async renew(owner, now, leaseMs) {
      await gate?.opened();
      renewAll.run(now + leaseMs, owner);
    },

    async release(owner, ids) {
      if (ids.length === 0) return;
      await gate?.opened();
      releaseSome.run(JSON.stringify(ids), owner);
    },

    recordAttempt(owner, attempt, next) {
      const item = { owner, attempt, next };
      if (recording) {
        const at = recording.push(item) - 1;
        return recorded!.then((results) => results[at]!);
      }
      const batch = [item];
      recording = batch;
      recorded = writes.run(() => {
        if (recording === batch) recording = undefined;
        return recordAll(batch);
      });
      return recorded.then((results) => results[0]!);
    },

    async get(id) {
      const row = selectOne.get(id);
      if (!row) return undefined;
      return withAttempts([row], attemptsOf.all(row.seq))[0];
    },

    async list(query: DeliveryQuery) {
      const where = new Where(anonymous);
      deliveryConditions(query, where, (id) => `d.seq < ${where.param(seqOf.get(id) ?? 0)}`);
      const rows = db
        .prepare(
          `SELECT d.*, p.payload FROM deliveries d JOIN payloads p ON p.id = d.payload_id
           ${where.clause} ORDER BY d.seq DESC LIMIT ?`,
        )
        .all(...where.params, query.limit + 1) as DeliveryWithPayload[];
      const page = pageOf(rows, query.limit);
      const attempts =
        page.rows.length > 0 ? attemptsOfMany.all(JSON.stringify(page.rows.map((r) => r.seq))) : [];
      return {
        items: withAttempts(page.rows, attempts),
        nextBefore: deliveryCursor(page.nextBefore),
      };
    },

    async nextDue() {
      return earliest.get() ?? undefined;
    },
  };
}
