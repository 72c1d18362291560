import type { VerificationFailure } from '@umhooks/core';
import type {
  Bin,
  Delivery,
  ForwardOutcome,
  RequestSummary,
  StoredAttempt,
  SandboxWebhook,
} from '../store/types.js';

/**
 * What happened, in the domain's words: store records, never the JSON viewers are sent (only the
 * live hub turns an event into that), so renaming a field the UI shows cannot break dispatch or
 * caching. Events travel between instances as JSON: they hold metadata only (no request bodies),
 * and plain data (numbers, strings, arrays; an `undefined` field arrives missing).
 */
export type DomainEvent = BinEvent | SandboxEvent | MissedEvent;

/** A request's signature check (wire/signature.ts makes it): `reason` null when it verifies. */
interface SignatureVerdict {
  valid: boolean;
  reason: VerificationFailure | null;
  message: string;
}

/** Events of one bin (topic `bin:<id>`); `bin` is its id. */
type BinEvent =
  /**
   * Stored (committed) by capture; `signature`: its Standard Webhooks check with the bin's secret
   * then (absent when the bin had none): the body it needs does not travel with the event.
   */
  | {
      type: 'request.captured';
      bin: string;
      request: RequestSummary;
      signature?: SignatureVerdict;
    }
  | { type: 'request.deleted'; bin: string; id: string }
  | { type: 'requests.cleared'; bin: string }
  /** A replay of request `request` was recorded (`id`: the replay; `status`: null on no answer). */
  | { type: 'request.replayed'; bin: string; request: string; id: string; status: number | null }
  /** A `tail --respond` forwarder started (true) or stopped (false) answering for the bin. */
  | { type: 'responder.changed'; bin: string; responding: boolean }
  /**
   * Request `request` is held for the bin's forwarder `owner` (the instance it is connected to
   * relays it), at most `timeoutMs`.
   */
  | { type: 'forward.held'; bin: string; request: string; owner: string; timeoutMs: number }
  /**
   * The hold of `request` ended (stored: the capturing instance reads the answer from the store,
   * which NOTIFY's size limit could not carry). `status`: the app's, null when not answered.
   */
  | {
      type: 'forward.settled';
      bin: string;
      request: string;
      outcome: Exclude<ForwardOutcome, 'pending'>;
      status: number | null;
    }
  /** Its settings changed (name, response, signing secret). */
  | { type: 'bin.changed'; bin: string; record: Bin }
  | { type: 'bin.deleted'; bin: string };

/** Events of the sandbox (topic `sandbox`). */
type SandboxEvent =
  /** Fired: in the outbox, pending, due now. */
  | { type: 'delivery.queued'; delivery: Delivery }
  /** A dispatcher claimed it and is sending it; `attempts` are the earlier ones. */
  | { type: 'delivery.claimed'; delivery: Delivery; attempts: readonly StoredAttempt[] }
  /** An attempt was recorded; `delivery` is in its next state (pending again: a retry is due). */
  | { type: 'delivery.attempted'; delivery: Delivery; attempts: readonly StoredAttempt[] }
  /**
   * Created or changed (also its event_count, date_last_failed, or deactivation after a 410).
   * `bookkeeping`: only the dispatcher's books changed (event_count, date_last_failed), nothing a
   * delivery is sent with, so its cached copy stays.
   */
  | { type: 'webhook.changed'; webhook: SandboxWebhook; bookkeeping?: true }
  | { type: 'webhook.deleted'; id: number };

/**
 * Events on `topic` may have been missed: one was too large to travel between instances (`of`
 * is its type, `bin` and `id` name what it was about), or the bus lost its connection (`of` is
 * `*`). Whoever keeps state from events looks again.
 */
export interface MissedEvent {
  type: 'missed';
  topic: Topic;
  of: Exclude<DomainEvent['type'], 'missed'> | '*';
  bin?: string;
  id?: string | number;
}

export type Topic = `bin:${string}` | 'sandbox';

export function topicOf(event: DomainEvent): Topic {
  if (event.type === 'missed') return event.topic;
  return 'bin' in event ? `bin:${event.bin}` : 'sandbox';
}
