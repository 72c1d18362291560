import type { Database } from 'better-sqlite3';
import { replayValues, selectReplays, toReplay, type ReplayRow } from '../rows/replays.js';
import type { ReplayStore } from '../types.js';
import type { WriteQueue } from './write-queue.js';

export function createSqliteReplayStore(db: Database, writes: WriteQueue): ReplayStore {
  // Only while the request is there: a replay never outlives it (the trigger of migration 5
  // removes them together afterwards).
  const insert = db.prepare(
    `INSERT INTO request_replays (id, bin_id, request_id, created_at, record, request_body)
     SELECT ?, ?, ?, ?, ?, ?
     WHERE EXISTS (SELECT 1 FROM requests WHERE id = ? AND bin_id = ?)`,
  );
  const prune = db.prepare(
    `DELETE FROM request_replays WHERE request_id = ? AND seq <= (
       SELECT seq FROM request_replays WHERE request_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
  );
  const select = db.prepare<[string, string], ReplayRow>(selectReplays('?', '?'));

  return {
    record(replay, keep) {
      return writes.run(() => {
        const values = replayValues(replay);
        if (insert.run(...values, replay.requestId, replay.binId).changes === 0) return false;
        prune.run(replay.requestId, replay.requestId, keep);
        return true;
      });
    },
    async list(binId, requestId) {
      return select.all(binId, requestId).map(toReplay);
    },
  };
}
