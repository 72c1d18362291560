import { verify, WebhookVerificationError } from '../delivery/signature.js';
import { getEvent, resolveEvent } from '../events/catalog.js';
import type { UmEventId } from '../events/event-data.js';
import { identify } from '../events/identify.js';
import { parsePayload } from '../events/parse.js';
import type { Candidate, EventDefinition } from '../events/types.js';
import { isPlainObject } from '../events/values.js';
import { bodyLimit, byteLength, exactBody, readJson, WebhookBodyTooLargeError } from './body.js';
import { headerGetter, type HeaderGetter } from './headers.js';
import { mismatch, recogniseFromBody } from './recognise.js';
import type {
  Received,
  ReceivedEvent,
  ReceiveInput,
  ReceiveIssue,
  SignatureVerdict,
  Verified,
} from './types.js';

function checkSignature(
  input: ReceiveInput,
  get: HeaderGetter,
  body: Uint8Array | string,
): SignatureVerdict {
  if (input.secret === undefined) {
    return {
      status: 'unchecked',
      message: 'No secret was given, so the signature was not checked.',
    };
  }
  try {
    const { id, timestamp } = verify({
      secret: input.secret,
      headers: { get: (name) => get(name) ?? null },
      body,
      ...(input.toleranceSeconds === undefined ? {} : { toleranceSeconds: input.toleranceSeconds }),
      ...(input.now === undefined ? {} : { now: input.now }),
    });
    return { status: 'valid', id, timestamp };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return { status: 'invalid', reason: error.reason, message: error.message };
    }
    throw error; // a malformed secret: the caller's configuration, not the request
  }
}

function signatureIssues(verdict: SignatureVerdict, get: HeaderGetter): ReceiveIssue[] {
  if (verdict.status === 'invalid') {
    return [{ path: '', code: 'signature', severity: 'error', message: verdict.message }];
  }
  if (verdict.status === 'unchecked' && (get('webhook-signature') ?? get('svix-signature'))) {
    return [
      {
        path: '',
        code: 'signature',
        severity: 'warning',
        message: 'The request is signed, but no secret was given to check it with.',
      },
    ];
  }
  return [];
}

function contentTypeIssues(get: HeaderGetter): ReceiveIssue[] {
  const type = get('content-type');
  if (type === undefined || /\bjson\b/i.test(type)) return [];
  return [
    {
      path: '',
      code: 'content_type',
      severity: 'warning',
      message: `Content-Type is "${type.slice(0, 60)}", not JSON; the body was read as JSON anyway.`,
    },
  ];
}

interface Reading {
  /** The definition the body was read with: the catalog's, or the generic one of an add-on id. */
  definition: EventDefinition | undefined;
  data: Record<string, unknown> | undefined;
  issues: ReceiveIssue[];
}

/** Which event the body is and its normalized data, with what was wrong on the way. */
function readEvent(
  expected: string | undefined,
  payload: unknown,
  candidates: Candidate[],
): Reading {
  let eventId: string | null = expected ?? null;
  const issues: ReceiveIssue[] = [];
  if (expected === undefined) {
    const recognised = recogniseFromBody(candidates);
    eventId = recognised.eventId;
    if (recognised.issue) issues.push(recognised.issue);
  } else if (getEvent(expected)) {
    // An add-on's event may carry any keys, so only catalog events are compared.
    const wrong = mismatch(expected, candidates);
    if (wrong) issues.push(wrong);
  }
  if (eventId === null) return { definition: undefined, data: undefined, issues };
  const parsed = parsePayload(eventId, payload);
  return { definition: parsed.event, data: parsed.data, issues: [...parsed.issues, ...issues] };
}

/**
 * Reads a received webhook: checks the signature over the exact body bytes (when `secret` is
 * given), parses the JSON, recognises the event (the expected `event`, or from the body's keys)
 * and returns its normalized data with every issue found. Narrow on `event` to type `data`:
 *
 *     const r = receive({ headers: req.headers, body: req.body, secret });
 *     if (r.ok && r.event === 'payment_received') r.data.payment_total_raw; // number | null
 *
 * Bad requests never throw: `ok` is false and `issues` says why. Throws only for the caller's
 * mistakes: a body that is not bytes (TypeError), a malformed secret (TypeError), and a body over
 * `maxBodyBytes` (WebhookBodyTooLargeError, answer 413).
 */
export function receive<E extends UmEventId>(input: ReceiveInput & { event: E }): ReceivedEvent<E>;
export function receive(input: ReceiveInput): Received;
export function receive(input: ReceiveInput): Received {
  const limit = bodyLimit(input.maxBodyBytes);
  const body = exactBody(input.body);
  if (byteLength(body) > limit) throw new WebhookBodyTooLargeError(limit);
  const get = headerGetter(input.headers);

  const signature = checkSignature(input, get, body);
  const issues = [...signatureIssues(signature, get), ...contentTypeIssues(get)];
  const json = readJson(body);
  const payload = json.ok ? json.value : undefined;
  const candidates = isPlainObject(payload) ? identify(payload) : [];
  const reading: Reading = json.ok
    ? readEvent(input.event, payload, candidates)
    : {
        definition: input.event === undefined ? undefined : resolveEvent(input.event),
        data: undefined,
        issues: [json.issue],
      };
  issues.push(...reading.issues);

  const ok = issues.every((issue) => issue.severity !== 'error');
  const common = { signature, issues, payload, candidates };
  const { definition, data } = reading;
  if (!definition) {
    return { ...common, event: null, eventId: null, definition, ok: false, data: undefined };
  }
  if (definition.known) {
    // The schema of `definition` produced `data`: it has the type EventDataMap gives its id, and
    // `ok` implies it is present (parsePayload returns data whenever it finds no error).
    const event = definition.id as UmEventId;
    return { ...common, event, eventId: event, definition, ok, data } as ReceivedEvent;
  }
  const eventId = definition.id;
  return ok && data
    ? { ...common, event: null, eventId, definition, ok, data }
    : { ...common, event: null, eventId, definition, ok: false, data };
}

/**
 * receive(), for endpoints that take nothing unsigned: throws WebhookVerificationError (answer
 * 401) unless the signature verifies with `secret`, like @octokit/webhooks' verifyAndReceive.
 */
export function verifyAndReceive<E extends UmEventId>(
  input: ReceiveInput & { secret: string; event: E },
): Verified<ReceivedEvent<E>>;
export function verifyAndReceive(input: ReceiveInput & { secret: string }): Verified;
export function verifyAndReceive(input: ReceiveInput & { secret: string }): Verified {
  return assertVerified(receive(input));
}

/** The result, if its signature verified; otherwise throws WebhookVerificationError. */
export function assertVerified<R extends { signature: SignatureVerdict }>(result: R): Verified<R> {
  const { signature } = result;
  if (signature.status === 'valid') return result as Verified<R>;
  if (signature.status === 'invalid') {
    throw new WebhookVerificationError(signature.reason, signature.message);
  }
  throw new TypeError('No secret was given, so the signature cannot be required: pass `secret`.');
}
