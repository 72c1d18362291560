import type { Database } from 'better-sqlite3';
import { FORWARD_COLUMNS, settlementValues, toForward, type ForwardRow } from '../rows/forwards.js';
import type { ForwardStore, ResponderStore } from '../types.js';
import type { WriteQueue } from './write-queue.js';

export function createSqliteForwardStore(db: Database, writes: WriteQueue): ForwardStore {
  // Only while the request is there (the trigger of migration 8 removes them together after).
  const insert = db.prepare(
    `INSERT OR IGNORE INTO request_forwards (request_id, bin_id, held_at, timeout_ms, outcome)
     SELECT ?, ?, ?, ?, 'pending'
     WHERE EXISTS (SELECT 1 FROM requests WHERE id = ? AND bin_id = ?)`,
  );
  const settle = db.prepare(
    `UPDATE request_forwards SET outcome = ?, settled_at = ?, record = ?, response_body = ?
     WHERE request_id = ? AND bin_id = ? AND outcome = 'pending'`,
  );
  const select = db.prepare<[string, string], ForwardRow>(
    `SELECT ${FORWARD_COLUMNS} FROM request_forwards WHERE request_id = ? AND bin_id = ?`,
  );
  return {
    hold({ binId, requestId, heldAt, timeoutMs }) {
      return writes.run(
        () => insert.run(requestId, binId, heldAt, timeoutMs, requestId, binId).changes === 1,
      );
    },
    settle(binId, requestId, settlement) {
      return writes.run(
        () => settle.run(...settlementValues(settlement), requestId, binId).changes === 1,
      );
    },
    async get(binId, requestId) {
      const row = select.get(requestId, binId);
      return row && toForward(row);
    },
  };
}

export function createSqliteResponderStore(db: Database, writes: WriteQueue): ResponderStore {
  // Taken over only when the holder's lease ran out (or by the holder itself: a renewal).
  const claim = db.prepare(
    `INSERT INTO bin_responders (bin_id, owner, timeout_ms, lease_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (bin_id) DO UPDATE SET
       owner = excluded.owner, timeout_ms = excluded.timeout_ms, lease_until = excluded.lease_until
     WHERE bin_responders.lease_until <= ? OR bin_responders.owner = excluded.owner`,
  );
  const renew = db.prepare('UPDATE bin_responders SET lease_until = ? WHERE owner = ?');
  const release = db.prepare('DELETE FROM bin_responders WHERE bin_id = ? AND owner = ?');
  const holder = db.prepare<[string, number], { owner: string; timeout_ms: number }>(
    'SELECT owner, timeout_ms FROM bin_responders WHERE bin_id = ? AND lease_until > ?',
  );
  return {
    claim(binId, owner, { timeoutMs, now, leaseMs }) {
      return writes.run(() => claim.run(binId, owner, timeoutMs, now + leaseMs, now).changes === 1);
    },
    async renew(owners, now, leaseMs) {
      if (owners.length === 0) return;
      await writes.run(() => {
        for (const owner of owners) renew.run(now + leaseMs, owner);
      });
    },
    async release(binId, owner) {
      await writes.run(() => release.run(binId, owner));
    },
    async holder(binId, now) {
      const row = holder.get(binId, now);
      return row && { owner: row.owner, timeoutMs: row.timeout_ms };
    },
  };
}
