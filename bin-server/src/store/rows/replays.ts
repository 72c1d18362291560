import type { ReplayAttempt } from '@umhooks/core';
import type { StoredReplay } from '../types.js';

// Replays' rows as every driver writes and reads them (same column names in each schema).

/** The stored JSON: the edits and the attempt without its body (kept in `request_body`). */
interface ReplayRecord {
  edited: StoredReplay['edited'];
  attempt: Omit<ReplayAttempt, 'request'> & {
    request: Omit<ReplayAttempt['request'], 'body'>;
  };
}

export interface ReplayRow {
  id: string;
  bin_id: string;
  request_id: string;
  created_at: number;
  record: string;
  /** The body sent: the replay's own, else (joined) the captured request's. */
  body: Buffer | null;
}

/** The columns of a new row, in the order the drivers' INSERTs list them. */
export function replayValues(
  replay: StoredReplay,
): [string, string, string, number, string, Buffer | null] {
  const { body, ...request } = replay.attempt.request;
  const record: ReplayRecord = { edited: replay.edited, attempt: { ...replay.attempt, request } };
  return [
    replay.id,
    replay.binId,
    replay.requestId,
    replay.createdAt,
    JSON.stringify(record),
    replay.edited.body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : null,
  ];
}

export function toReplay(row: ReplayRow): StoredReplay {
  const record = JSON.parse(row.record) as ReplayRecord;
  return {
    id: row.id,
    binId: row.bin_id,
    requestId: row.request_id,
    createdAt: row.created_at,
    edited: record.edited,
    attempt: {
      ...record.attempt,
      request: { ...record.attempt.request, body: new Uint8Array(row.body ?? []) },
    },
  };
}

/**
 * Reads a request's replays with the body each sent. A LEFT JOIN: a replay left without its
 * request (which the schema prevents) would still show, not hide.
 */
export const selectReplays = (binParam: string, requestParam: string) =>
  `SELECT rp.id, rp.bin_id, rp.request_id, rp.created_at, rp.record,
     COALESCE(rp.request_body, r.body) AS body
   FROM request_replays rp LEFT JOIN requests r ON r.id = rp.request_id
   WHERE rp.bin_id = ${binParam} AND rp.request_id = ${requestParam}
   ORDER BY rp.seq DESC`;
