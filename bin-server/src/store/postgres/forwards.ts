import type pg from 'pg';
import { FORWARD_COLUMNS, settlementValues, toForward, type ForwardRow } from '../rows/forwards.js';
import type { ForwardStore, ResponderStore } from '../types.js';

/** foreign_key_violation: the request was deleted between the check and the insert. */
const FOREIGN_KEY_VIOLATION = '23503';

export function createPostgresForwardStore(pool: pg.Pool): ForwardStore {
  return {
    async hold({ binId, requestId, heldAt, timeoutMs }) {
      try {
        // Only while the request is there (the foreign key removes them together afterwards).
        const { rowCount } = await pool.query(
          `INSERT INTO request_forwards (request_id, bin_id, held_at, timeout_ms, outcome)
           SELECT $1, $2, $3, $4, 'pending'
           WHERE EXISTS (SELECT 1 FROM requests WHERE id = $1 AND bin_id = $2)
           ON CONFLICT (request_id) DO NOTHING`,
          [requestId, binId, heldAt, timeoutMs],
        );
        return rowCount === 1;
      } catch (error) {
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
        throw error;
      }
    },
    async settle(binId, requestId, settlement) {
      const { rowCount } = await pool.query(
        `UPDATE request_forwards SET outcome = $1, settled_at = $2, record = $3, response_body = $4
         WHERE request_id = $5 AND bin_id = $6 AND outcome = 'pending'`,
        [...settlementValues(settlement), requestId, binId],
      );
      return rowCount === 1;
    },
    async get(binId, requestId) {
      const { rows } = await pool.query<ForwardRow>(
        `SELECT ${FORWARD_COLUMNS} FROM request_forwards WHERE request_id = $1 AND bin_id = $2`,
        [requestId, binId],
      );
      return rows[0] && toForward(rows[0]);
    },
  };
}

export function createPostgresResponderStore(pool: pg.Pool): ResponderStore {
  return {
    async claim(binId, owner, { timeoutMs, now, leaseMs }) {
      // The conflicting row is locked while its WHERE is checked: two instances claiming at once
      // cannot both win.
      const { rowCount } = await pool.query(
        `INSERT INTO bin_responders (bin_id, owner, timeout_ms, lease_until)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (bin_id) DO UPDATE SET
           owner = excluded.owner, timeout_ms = excluded.timeout_ms,
           lease_until = excluded.lease_until
         WHERE bin_responders.lease_until <= $5 OR bin_responders.owner = excluded.owner`,
        [binId, owner, timeoutMs, now + leaseMs, now],
      );
      return rowCount === 1;
    },
    async renew(owners, now, leaseMs) {
      if (owners.length === 0) return;
      await pool.query('UPDATE bin_responders SET lease_until = $1 WHERE owner = ANY($2::text[])', [
        now + leaseMs,
        owners,
      ]);
    },
    async release(binId, owner) {
      await pool.query('DELETE FROM bin_responders WHERE bin_id = $1 AND owner = $2', [
        binId,
        owner,
      ]);
    },
    async holder(binId, now) {
      const { rows } = await pool.query<{ owner: string; timeout_ms: number }>(
        'SELECT owner, timeout_ms FROM bin_responders WHERE bin_id = $1 AND lease_until > $2',
        [binId, now],
      );
      return rows[0] && { owner: rows[0].owner, timeoutMs: rows[0].timeout_ms };
    },
  };
}
