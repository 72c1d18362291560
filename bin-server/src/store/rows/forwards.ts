import type { ForwardSettlement, StoredForward } from '../types.js';

// Forwards' rows as every driver writes and reads them (same column names in each schema).

/** The stored JSON: why, how long the app took, and the answer's status and headers. */
interface ForwardRecord {
  reason?: string;
  appMs?: number;
  status?: number;
  statusText?: string;
  headers?: Array<[string, string]>;
}

export interface ForwardRow {
  request_id: string;
  bin_id: string;
  held_at: number | string;
  timeout_ms: number;
  outcome: string;
  settled_at: number | string | null;
  record: string | null;
  response_body: Buffer | null;
}

export const FORWARD_COLUMNS =
  'request_id, bin_id, held_at, timeout_ms, outcome, settled_at, record, response_body';

/** What a settlement writes: outcome, settled_at, record and response_body, in that order. */
export function settlementValues(
  settlement: ForwardSettlement,
): [string, number, string, Buffer | null] {
  if (settlement.outcome === 'answered') {
    const { answer } = settlement;
    const record: ForwardRecord = {
      appMs: settlement.appMs,
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    };
    const body = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
    return ['answered', settlement.at, JSON.stringify(record), body];
  }
  const record: ForwardRecord = { reason: settlement.reason };
  if (settlement.appMs !== undefined) record.appMs = settlement.appMs;
  return [settlement.outcome, settlement.at, JSON.stringify(record), null];
}

export function toForward(row: ForwardRow): StoredForward {
  const record = row.record === null ? {} : (JSON.parse(row.record) as ForwardRecord);
  const answered = row.outcome === 'answered' && record.status !== undefined;
  return {
    binId: row.bin_id,
    requestId: row.request_id,
    heldAt: Number(row.held_at),
    timeoutMs: row.timeout_ms,
    outcome: row.outcome as StoredForward['outcome'],
    settledAt: row.settled_at === null ? undefined : Number(row.settled_at),
    reason: record.reason,
    appMs: record.appMs,
    answer: answered
      ? {
          status: record.status!,
          statusText: record.statusText ?? '',
          headers: record.headers ?? [],
          body: new Uint8Array(row.response_body ?? []),
        }
      : undefined,
  };
}
