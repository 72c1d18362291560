import type pg from 'pg';
import { originOf } from '../origin.js';
import type {
  Delivery,
  DeliveryQuery,
  DeliveryStatus,
  DeliveryStore,
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
import { numbered, Where } from '../queries/where.js';
import { transaction } from './transaction.js';

/** Due work, oldest first, rows another instance is claiming right now skipped. */
const claimDueSql = `
  UPDATE deliveries d SET status = 'delivering', lease_owner = $1, lease_until = $3
  FROM (
    SELECT seq FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= $2
    ORDER BY next_attempt_at, seq LIMIT $4
    FOR UPDATE SKIP LOCKED
  ) picked
  WHERE d.seq = picked.seq
  RETURNING d.*`;

/**
 * The same, skipping full targets without walking their backlog: filtering the oldest-first scan
 * would read every pending delivery of a busy target on every claim (the SQLite driver measured
 * 1-5 ms a claim with 10,000-40,000 waiting). The targets with pending work are listed by a
 * skip-scan of deliveries_due_origin (one seek each), and each other target's due work is read
 * oldest first from the same index.
 */
const claimDueExceptSql = `
  WITH RECURSIVE targets(origin) AS (
    (SELECT origin FROM deliveries WHERE status = 'pending' ORDER BY origin LIMIT 1)
    UNION ALL
    SELECT (SELECT d.origin FROM deliveries d
            WHERE d.status = 'pending' AND d.origin > targets.origin
            ORDER BY d.origin LIMIT 1)
    FROM targets WHERE targets.origin IS NOT NULL
  )
  UPDATE deliveries d SET status = 'delivering', lease_owner = $1, lease_until = $3
  FROM (
    SELECT due.seq FROM targets
    CROSS JOIN LATERAL (
      SELECT seq, next_attempt_at FROM deliveries
      WHERE status = 'pending' AND origin = targets.origin AND next_attempt_at <= $2
      ORDER BY next_attempt_at, seq LIMIT $4
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE targets.origin IS NOT NULL AND targets.origin <> ALL($5::text[])
    ORDER BY due.next_attempt_at, due.seq LIMIT $4
  ) picked
  WHERE d.seq = picked.seq
  RETURNING d.*`;

const FINISHED = `('succeeded', 'failed', 'gave-up')`;

/**
 * The outbox on PostgreSQL, shared by every instance. A claim locks its rows with
 * `FOR UPDATE SKIP LOCKED` and leases them in the same statement, so concurrent dispatchers
 * never claim the same attempt: each skips the rows another is taking, and a row another worker
 * changed meanwhile is re-checked before it is taken. A lease that runs out (its instance died)
 * makes the delivery claimable again; an attempt is recorded only by the lease holder, in one
 * statement with the delivery's move to its next state.
 */
export function createPostgresDeliveryStore(pool: pg.Pool): DeliveryStore {
  async function loadAttempts(
    rows: DeliveryWithPayload[],
  ): Promise<Array<Delivery & { attempts: StoredAttempt[] }>> {
    if (rows.length === 0) return [];
    const found = await pool.query<AttemptRow>(
      `SELECT * FROM delivery_attempts WHERE delivery_seq = ANY($1::bigint[])
       ORDER BY delivery_seq, number`,
      [rows.map((r) => r.seq)],
    );
    return withAttempts(rows, found.rows);
  }

  return {
    async enqueue(deliveries) {
      if (deliveries.length === 0) return;
      // One statement, so one transaction: a fire is queued whole or not at all. The deliveries
      // of a fire share their payload row; seq follows the given order.
      const payloads = [...new Set(deliveries.map((d) => d.payload))];
      const index = new Map(payloads.map((p, i) => [p, i + 1]));
      await pool.query(
        `WITH stored AS (
           INSERT INTO payloads (payload) SELECT unnest($1::text[]) RETURNING id, payload
         ), input AS (
           SELECT * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::text[],
             $7::text[], $8::text[], $9::bigint[]) WITH ORDINALITY
             AS r(id, webhook_id, event, payload_index, profile, url, origin, created_at, ord)
         )
         INSERT INTO deliveries (id, webhook_id, event, payload_id, profile, url, origin, status,
           attempt_count, created_at, next_attempt_at)
         SELECT r.id, r.webhook_id, r.event, stored.id, r.profile, r.url, r.origin, 'pending', 0,
           r.created_at, r.created_at
         FROM input r JOIN stored ON stored.payload = ($1::text[])[r.payload_index]
         ORDER BY r.ord`,
        [
          payloads,
          deliveries.map((d) => d.id),
          deliveries.map((d) => d.webhookId),
          deliveries.map((d) => d.event),
          deliveries.map((d) => index.get(d.payload)!),
          deliveries.map((d) => d.profile),
          deliveries.map((d) => d.url),
          deliveries.map((d) => originOf(d.url)),
          deliveries.map((d) => d.createdAt),
        ],
      );
    },

    async claim(owner, { now, leaseMs, limit, excludeOrigins = [] }) {
      if (limit <= 0) return [];
      const until = now + leaseMs;
      const exclude = [...excludeOrigins];
      // Expired leases first (their instance died or stalled), oldest first; our own are
      // skipped: this process still tracks that work in memory.
      const expired = await pool.query<DeliveryRow>(
        `UPDATE deliveries d SET lease_owner = $1, lease_until = $3
         FROM (
           SELECT seq FROM deliveries
           WHERE status = 'delivering' AND lease_until <= $2 AND lease_owner IS DISTINCT FROM $1
             AND origin <> ALL($5::text[])
           ORDER BY lease_until LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) picked
         WHERE d.seq = picked.seq
         RETURNING d.*`,
        [owner, now, until, limit, exclude],
      );
      let rows = expired.rows;
      if (rows.length < limit) {
        const params = [owner, now, until, limit - rows.length];
        const due =
          exclude.length === 0
            ? await pool.query<DeliveryRow>(claimDueSql, params)
            : await pool.query<DeliveryRow>(claimDueExceptSql, [...params, exclude]);
        rows = rows.concat(due.rows);
      }
      if (rows.length === 0) return [];
      const ids = orderClaimed(rows);
      const found = await pool.query<PayloadRow>(
        'SELECT id, payload FROM payloads WHERE id = ANY($1::bigint[])',
        [ids],
      );
      return toClaimed(rows, found.rows);
    },

    async claimOne(owner, id, { now, leaseMs }) {
      const until = now + leaseMs;
      // The row is locked while it is read and leased; a lease still running is left alone.
      const { rows } = await pool.query<
        DeliveryWithPayload & { before_status: string; before_next: number | null }
      >(
        `WITH old AS (
           SELECT seq, status, next_attempt_at, lease_until FROM deliveries WHERE id = $1
           FOR UPDATE
         )
         UPDATE deliveries d SET status = 'delivering', lease_owner = $2, lease_until = $4
         FROM old JOIN payloads p ON true
         WHERE d.seq = old.seq AND p.id = d.payload_id
           AND (old.status <> 'delivering' OR old.lease_until <= $3)
         RETURNING d.*, p.payload, old.status AS before_status,
           old.next_attempt_at AS before_next`,
        [id, owner, now, until],
      );
      const row = rows[0];
      if (!row) {
        const exists = await pool.query('SELECT 1 FROM deliveries WHERE id = $1', [id]);
        return exists.rowCount ? 'busy' : undefined;
      }
      return {
        delivery: toDelivery(row, row.payload),
        before: {
          status: row.before_status as DeliveryStatus,
          nextAttemptAt: row.before_next ?? undefined,
        },
      };
    },

    async renew(owner, now, leaseMs) {
      await pool.query(
        `UPDATE deliveries SET lease_until = $2 WHERE status = 'delivering' AND lease_owner = $1`,
        [owner, now + leaseMs],
      );
    },

    async release(owner, ids) {
      if (ids.length === 0) return;
      await pool.query(
        `UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL
         WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'delivering'`,
        [[...ids], owner],
      );
    },

    async recordAttempt(owner, attempt, next) {
      // The move and the attempt row in one statement: both or neither, and only while `owner`
      // still holds the lease. The request body is kept only when it differs from the payload.
      const result = await pool.query(
        `WITH moved AS (
           UPDATE deliveries SET status = $3, next_attempt_at = $4, attempt_count = $5,
             lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND lease_owner = $2 AND status = 'delivering'
           RETURNING seq, payload_id
         )
         INSERT INTO delivery_attempts
           (delivery_seq, number, attempt, request_body, outcome, next_attempt_at, reason)
         SELECT moved.seq, $5, $6, CASE WHEN p.payload = $7::text THEN NULL ELSE $7::text END,
           $8, $9, $10
         FROM moved JOIN payloads p ON p.id = moved.payload_id
         ON CONFLICT (delivery_seq, number) DO UPDATE SET attempt = excluded.attempt,
           request_body = excluded.request_body, outcome = excluded.outcome,
           next_attempt_at = excluded.next_attempt_at, reason = excluded.reason`,
        [
          attempt.deliveryId,
          owner,
          next.status,
          next.nextAttemptAt ?? null,
          attempt.number,
          attemptJson(attempt),
          attempt.request.body,
          attempt.outcome,
          attempt.nextAttemptAt ?? null,
          attempt.reason ?? null,
        ],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async get(id) {
      const { rows } = await pool.query<DeliveryWithPayload>(
        `SELECT d.*, p.payload FROM deliveries d JOIN payloads p ON p.id = d.payload_id
         WHERE d.id = $1`,
        [id],
      );
      if (rows.length === 0) return undefined;
      return (await loadAttempts(rows))[0];
    },

    async list(query: DeliveryQuery) {
      const where = new Where(numbered);
      deliveryConditions(
        query,
        where,
        (id) => `d.seq < COALESCE((SELECT seq FROM deliveries WHERE id = ${where.param(id)}), 0)`,
      );
      const { rows } = await pool.query<DeliveryWithPayload>(
        `SELECT d.*, p.payload FROM deliveries d JOIN payloads p ON p.id = d.payload_id
         ${where.clause} ORDER BY d.seq DESC LIMIT ${where.param(query.limit + 1)}`,
        where.params,
      );
      const page = pageOf(rows, query.limit);
      return {
        items: await loadAttempts(page.rows),
        nextBefore: deliveryCursor(page.nextBefore),
      };
    },

    async nextDue() {
      const { rows } = await pool.query<{ due: number | null }>(
        `SELECT LEAST(
           (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending'),
           (SELECT min(lease_until) FROM deliveries WHERE status = 'delivering')) AS due`,
      );
      return rows[0]?.due ?? undefined;
    },

    async prune(olderThan, limit) {
      return transaction(pool, async (client) => {
        // SKIP LOCKED: several instances prune at once without waiting on each other.
        const gone = await client.query<{ payload_id: number }>(
          `WITH doomed AS (
             SELECT seq FROM deliveries
             WHERE status IN ${FINISHED} AND created_at < $1
             ORDER BY seq LIMIT $2
             FOR UPDATE SKIP LOCKED
           ), attempts AS (
             DELETE FROM delivery_attempts WHERE delivery_seq IN (SELECT seq FROM doomed)
           )
           DELETE FROM deliveries WHERE seq IN (SELECT seq FROM doomed) RETURNING payload_id`,
          [olderThan, limit],
        );
        if (gone.rows.length === 0) return 0;
        await client.query(
          `DELETE FROM payloads p WHERE p.id = ANY($1::bigint[])
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.payload_id = p.id)`,
          [[...new Set(gone.rows.map((r) => r.payload_id))]],
        );
        return gone.rows.length;
      });
    },
  };
}
