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

export function toStoredAttempt(
  row: AttemptRow,
  deliveryId: string,
  payload: string,
): StoredAttempt {
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

/** The core attempt without our bookkeeping and without the request body (stored aside). */
export function attemptJson(attempt: StoredAttempt): string {
  const {
    deliveryId: _deliveryId,
    number: _number,
    outcome: _outcome,
    nextAttemptAt: _next,
    reason: _reason,
    request,
    ...core
  } = attempt;
  return JSON.stringify({ ...core, request: { ...request, body: '' } });
}
