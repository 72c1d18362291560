import type pg from 'pg';
import { replayValues, selectReplays, toReplay, type ReplayRow } from '../rows/replays.js';
import type { ReplayStore } from '../types.js';

/** foreign_key_violation: the request was deleted between the check and the insert. */
const FOREIGN_KEY_VIOLATION = '23503';

export function createPostgresReplayStore(pool: pg.Pool): ReplayStore {
  return {
    async record(replay, keep) {
      try {
        // One statement: insert only while the request is there (the foreign key, ON DELETE
        // CASCADE, removes them together afterwards), then keep the newest `keep`.
        const { rows } = await pool.query<{ stored: boolean }>(
          `WITH added AS (
             INSERT INTO request_replays (id, bin_id, request_id, created_at, record, request_body)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE EXISTS (SELECT 1 FROM requests WHERE id = $3 AND bin_id = $2)
             RETURNING seq
           ), pruned AS (
             DELETE FROM request_replays
             WHERE request_id = $3 AND EXISTS (SELECT 1 FROM added) AND seq <= (
               SELECT seq FROM request_replays WHERE request_id = $3
               ORDER BY seq DESC LIMIT 1 OFFSET $7::int - 1)
           )
           SELECT EXISTS (SELECT 1 FROM added) AS stored`,
          [...replayValues(replay), keep],
        );
        return rows[0]?.stored === true;
      } catch (error) {
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
        throw error;
      }
    },
    async list(binId, requestId) {
      const { rows } = await pool.query<ReplayRow>(selectReplays('$1', '$2'), [binId, requestId]);
      return rows.map(toReplay);
    },
  };
}
