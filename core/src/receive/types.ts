import type { VerificationFailure } from '../delivery/signature.js';
import type { EventDataMap, UmEventId } from '../events/event-data.js';
import type { Candidate, EventDefinition, PayloadIssue } from '../events/types.js';

/**
 * The request's headers in any form a server hands them over: Node's `req.headers`
 * (IncomingHttpHeaders) or any plain object (names in any case), a fetch `Headers` (anything with
 * `get()`), Node's `req.rawHeaders` (`[name, value, name, value, …]`) or `[name, value]` pairs.
 */
export type ReceivedHeaders =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null }
  | readonly string[]
  | readonly (readonly [string, string])[];

/**
 * The exact body bytes as they arrived. Signatures are over these bytes: a body that was parsed
 * and serialized again (express.json(), a framework's `req.body` object) no longer verifies.
 */
export type ReceivedBody = Uint8Array | ArrayBuffer | string;

export interface ReceiveOptions {
  /**
   * The event this endpoint receives. The plugin sends no event name: each webhook posts one
   * event to its URL, so the URL tells which. Without it the event is recognised from the body's
   * keys, which cannot tell apart events with the same keys (customer_created/customer_updated,
   * membership_created/…_updated, payment_created/…_updated). An id the catalog does not know (an
   * add-on's event) is read with the generic definition.
   */
  event?: UmEventId | (string & {});
  /** The endpoint's Standard Webhooks secret (`whsec_…`); without it the signature is not checked. */
  secret?: string;
  /** How far `webhook-timestamp` may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in unix seconds (default: the clock). */
  now?: number;
  /** Bodies longer than this are refused with WebhookBodyTooLargeError (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface ReceiveInput extends ReceiveOptions {
  headers: ReceivedHeaders;
  body: ReceivedBody;
}

/** The signature checked against `secret`. */
export type SignatureVerdict =
  | {
      status: 'valid';
      /** `webhook-id`: the same on every retry of a message, so a key for deduplication. */
      id: string;
      /** `webhook-timestamp`, unix seconds. */
      timestamp: number;
    }
  | { status: 'invalid'; reason: VerificationFailure; message: string }
  /** No `secret` was given. */
  | { status: 'unchecked'; message: string };

export type ValidSignature = Extract<SignatureVerdict, { status: 'valid' }>;

/**
 * One finding about the request. Besides the payload's own issues (`missing`, `type`, `value`,
 * `not_object`, from parsePayload): `signature` (the verdict is not valid), `encoding` (the body is
 * not UTF-8), `json` (not JSON), `event` (the event is not recognised, or the body is another
 * event's than the expected one), `content_type` (a warning: not declared as JSON).
 */
export interface ReceiveIssue {
  path: string;
  code: PayloadIssue['code'] | 'signature' | 'encoding' | 'json' | 'event' | 'content_type';
  severity: PayloadIssue['severity'];
  message: string;
}

interface ReceivedCommon {
  signature: SignatureVerdict;
  /** Every finding; `ok` is true exactly when none has severity `error`. */
  issues: ReceiveIssue[];
  /** The body as JSON read it, before normalization (undefined when it is not JSON). */
  payload: unknown;
  /** identify()'s candidates for the body, best first ([] when it is not a JSON object). */
  candidates: Candidate[];
}

/**
 * A catalog event. `ok`: the signature is valid (or no secret was given), and the body is a
 * payload of the event with no error; then `data` is its normalized data.
 */
export type ReceivedEvent<E extends UmEventId = UmEventId> = {
  [K in E]: ReceivedCommon & {
    /** The catalog event. */
    event: K;
    /** The id the body was read as (the same as `event` here). */
    eventId: K;
    definition: EventDefinition;
  } & ({ ok: true; data: EventDataMap[K] } | { ok: false; data: EventDataMap[K] | undefined });
}[E];

/**
 * Not a catalog event: an add-on's event given as `event` (read with the generic definition, so
 * `data` holds every key, ids and amounts normalized), or a body whose event could not be
 * recognised (`eventId` null; the `event` issue says why).
 */
export type ReceivedUnknownEvent = ReceivedCommon & { event: null } & (
    | { eventId: string; definition: EventDefinition; ok: true; data: Record<string, unknown> }
    | {
        eventId: string;
        definition: EventDefinition;
        ok: false;
        data: Record<string, unknown> | undefined;
      }
    | { eventId: null; definition: undefined; ok: false; data: undefined }
  );

/** What receive() returns: narrow on `event` (or `ok`) to type `data`. */
export type Received = ReceivedEvent | ReceivedUnknownEvent;

/** A result whose signature verified (verifyAndReceive). */
export type Verified<R extends { signature: SignatureVerdict } = Received> = R & {
  signature: ValidSignature;
};
