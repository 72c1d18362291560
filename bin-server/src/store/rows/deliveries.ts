import type { Attempt, Profile } from '@umhooks/core';
import type { Delivery, DeliveryStatus, StoredAttempt } from '../types.js';

// The outbox's rows as every driver reads them (same column names and types in each schema).

export interface DeliveryRow {
  seq: number;
  id: string;
  webhook_id: number;
  event: string;
  payload_id: number;
  profile: string;
  url: string;
  origin: string;
  status: string;
  attempt_count: number;
  created_at: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
}

export type DeliveryWithPayload = DeliveryRow & { payload: string };

export interface PayloadRow {
  id: number;
  payload: string;
}

export interface AttemptRow {
  delivery_seq: number;
  number: number;
  attempt: string;
  request_body: string | null;
  outcome: string;
  next_attempt_at: number | null;
  reason: string | null;
}

export function toDelivery(row: DeliveryRow, payload: string): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    payload,
    profile: row.profile as Profile,
    url: row.url,
    status: row.status as DeliveryStatus,
    attemptCount: row.attempt_count,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at ?? undefined,
    leaseOwner: row.lease_owner ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
  };
}

function toStoredAttempt(row: AttemptRow, deliveryId: string, payload: string): StoredAttempt {
  const core = JSON.parse(row.attempt) as Attempt;
  return {
    ...core,
    request: { ...core.request, body: row.request_body ?? payload },
    deliveryId,
    number: row.number,
    outcome: row.outcome as StoredAttempt['outcome'],
    nextAttemptAt: row.next_attempt_at ?? undefined,
    reason: row.reason ?? undefined,
  };
}

/** StoredAttempt's own fields, kept in their columns and out of the attempt's JSON. */
const bookkeeping = new Set(['deliveryId', 'number', 'outcome', 'nextAttemptAt', 'reason']);

/**
 * The core attempt without our bookkeeping and without the request body (stored aside). Copied
 * key by key (request last, as it always was): a rest pattern cost twice as much, per attempt.
 */
export function attemptJson(attempt: StoredAttempt): string {
  const core: Record<string, unknown> = {};
  for (const key in attempt) {
    if (key !== 'request' && !bookkeeping.has(key)) {
      core[key] = attempt[key as keyof StoredAttempt];
    }
  }
  core.request = { ...attempt.request, body: '' };
  return JSON.stringify(core);
}

/**
 * Orders claimed rows (expired leases and due work, claimed apart) oldest due first, in place,
 * and returns the ids of their payloads, each once, for the driver to load.
 */
export function orderClaimed(rows: DeliveryRow[]): number[] {
  rows.sort(
    (a, b) =>
      (a.next_attempt_at ?? a.created_at) - (b.next_attempt_at ?? b.created_at) || a.seq - b.seq,
  );
  return [...new Set(rows.map((r) => r.payload_id))];
}

/** The claimed deliveries, each with its payload (from `orderClaimed`'s ids). */
export function toClaimed(
  rows: readonly DeliveryRow[],
  payloads: readonly PayloadRow[],
): Delivery[] {
  const byId = new Map(payloads.map((p) => [p.id, p.payload]));
  return rows.map((row) => toDelivery(row, byId.get(row.payload_id) ?? ''));
}

/** Deliveries with their attempts; `attempts` holds those of every row, in number order. */
export function withAttempts(
  rows: readonly DeliveryWithPayload[],
  attempts: readonly AttemptRow[],
): Array<Delivery & { attempts: StoredAttempt[] }> {
  const bySeq = new Map<number, AttemptRow[]>();
  for (const row of attempts) {
    const list = bySeq.get(row.delivery_seq);
    if (list) list.push(row);
    else bySeq.set(row.delivery_seq, [row]);
  }
  return rows.map((row) => ({
    ...toDelivery(row, row.payload),
    attempts: (bySeq.get(row.seq) ?? []).map((a) => toStoredAttempt(a, row.id, row.payload)),
  }));
}
