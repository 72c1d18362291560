import type { Attempt, Candidate, PayloadIssue, Profile, ReplayAttempt } from '@umhooks/core';

/**
 * The storage contract. Drivers live side by side (store/sqlite, store/postgres) and pass the same
 * contract test suite. Every method is async so that a networked driver fits; times are epoch ms.
 */

// ---------------------------------------------------------------------------------------------
// Capture bins

export interface BinResponse {
  status: number;
  /** At most 10 headers, kept in order. */
  headers: Array<[string, string]>;
  /** At most 10 KB (UTF-8 text). */
  body: string;
  /** 0..30,000 ms; the request is stored before the wait. */
  delayMs: number;
}

/** One condition on a named value of a request: a query parameter, a header or a JSON body field. */
export interface RuleCondition {
  /** The query parameter or header name (headers: any case), or a JSON path (`site.id`). */
  field: string;
  /** Exactly one of the three below is set. A JSON number or boolean compares as its text. */
  equals?: string;
  oneOf?: string[];
  /** True: the value must be there; false: it must not. */
  exists?: boolean;
}

/** What a rule looks at; every part given must match (an empty match takes every request). */
export interface RuleMatch {
  /** Any of these methods (upper case). */
  methods?: string[];
  /** A glob over the path below the bin (`/`, `/payments/*`, `/**`). */
  path?: string;
  query?: RuleCondition[];
  headers?: RuleCondition[];
  body?: RuleCondition[];
  /** Any of these recognised events (the checked event, or the one the URL names). */
  events?: string[];
}

/** A failure a rule injects instead of (or before) its answer. */
export type RuleFault =
  /** The first `count` matches since the rules were saved get `status`, later ones the answer. */
  | { kind: 'fail_first'; count: number; status: number }
  /** `percent` of the matches get `status`: the nth match's draw is fixed by the seed and n. */
  | { kind: 'fail_percent'; percent: number; status: number; seed?: number | undefined }
  /** The connection is closed (reset) without an answer. */
  | { kind: 'reset' }
  /** Nothing is ever answered: the connection is held until the sender gives up. */
  | { kind: 'hang' }
  /** The answer's body is sent a few bytes at a time. */
  | { kind: 'trickle'; bytesPerSecond: number };

/** One of a bin's response rules: the first whose match holds answers the request. */
export interface ResponseRule {
  /** Shown in the UI and in each answered request's record; may be empty. */
  name: string;
  match: RuleMatch;
  status: number;
  /** At most 10, fixed values (never templated). */
  headers: Array<[string, string]>;
  body: string;
  /** True: the body is a Mustache template over the request. */
  template: boolean;
  /** Fixed delay, or the low end of a range up to `delayMaxMs`. */
  delayMs: number;
  delayMaxMs?: number | undefined;
  fault?: RuleFault | undefined;
}

/** How a captured request was answered when its bin has rules. */
export interface AnswerRecord {
  /** 0-based index of the rule that answered; undefined: none matched (the bin's default). */
  rule: number | undefined;
  ruleName: string | undefined;
  /** The status sent; undefined when none was (reset, hang). */
  status: number | undefined;
  /** The fault applied, if one was. */
  fault: RuleFault['kind'] | undefined;
  /** How the fault applied, e.g. `match 2 of the first 3`. */
  detail?: string | undefined;
}

export interface Bin {
  id: string;
  name: string;
  createdAt: number;
  /** Refreshed by UI/API use, never by captured traffic; the TTL counts from here. */
  lastUsedAt: number;
  /** Custom response; undefined = the default 200 JSON answer. */
  response: BinResponse | undefined;
  /** Requests ever captured (including evicted ones); also the last request's `seq`. */
  requestCount: number;
  /** Requests dropped by the per-bin ring buffer. */
  evictedCount: number;
  /**
   * `whsec_…`: the Standard Webhooks secret of the sender posting here; requests are checked
   * against it when read (their signature headers and exact bytes are stored). Undefined: none.
   */
  signingSecret: string | undefined;
  /** The bin's own cap on kept requests (the server's --max-requests still bounds it). */
  maxRequests: number | undefined;
  /** Ordered response rules (empty: every request gets `response` or the default answer). */
  rules: ResponseRule[];
}

interface NewBin {
  id: string;
  name: string;
  response?: BinResponse | undefined;
  signingSecret?: string | undefined;
  maxRequests?: number | undefined;
  now: number;
}

/** Fields to change; `null` clears the response, the signing secret or the own request limit. */
export interface BinPatch {
  name?: string;
  response?: BinResponse | null;
  signingSecret?: string | null;
  maxRequests?: number | null;
  /** Replaces the rules and starts their fault counts again. */
  rules?: ResponseRule[];
}

/**
 * Where a body whose content type claims JSON stops parsing (1-based line and column). A large
 * body V8 does not place is stored without them; they are found when it is read whole
 * (wire/json-error.ts).
 */
export interface JsonError {
  message: string;
  line?: number | undefined;
  column?: number | undefined;
}

/** What recognizing a JSON body found (see capture/recognize). */
export interface Recognition {
  /** Event named by a trailing path segment (`/b/:bin/payment_received`), if any. */
  expected: string | undefined;
  candidates: Candidate[];
  /** The event the issues refer to: `expected` if given, else the best candidate. */
  checkedEvent: string | undefined;
  issues: PayloadIssue[];
  /** Set when the content type claims JSON and the body does not parse. */
  jsonError?: JsonError | undefined;
}

export interface CapturedRequest {
  /** Globally unique, unguessable-enough id, e.g. `req_…`; also sent as `x-request-id`. */
  id: string;
  binId: string;
  /** Position in the bin: 1, 2, 3… (cursor pagination and O(1) ring-buffer eviction). */
  seq: number;
  receivedAt: number;
  method: string;
  /** Path after `/b/:bin`, `/` when none. */
  path: string;
  /** Raw query string without `?`, `` when none. */
  query: string;
  /** Node's `rawHeaders`: [name, value, name, value, …] in order, case and duplicates kept. */
  rawHeaders: string[];
  body: Uint8Array;
  remoteAddress: string;
  recognition: Recognition | undefined;
  /** Which rule answered and how; undefined when the bin had no rules. */
  answer?: AnswerRecord | undefined;
}

/** A request without its body (lists with include_body=false, live pushes). */
export type RequestSummary = Omit<CapturedRequest, 'body'> & { size: number; contentType: string };

export interface RequestQuery {
  /** Return requests with seq < before (newest first). */
  before?: number;
  limit: number;
  includeBody: boolean;
  /** Case-insensitive text search in method, path, query, headers and body. */
  q?: string;
  method?: string;
  /** Matches recognition.checkedEvent or any tied best candidate. */
  event?: string;
}

export interface RequestPage {
  items: Array<RequestSummary & { body?: Uint8Array }>;
  /** Pass as `before` for the next page; undefined on the last page. */
  nextBefore: number | undefined;
}

export interface BinStore {
  create(bin: NewBin): Promise<Bin>;
  get(id: string): Promise<Bin | undefined>;
  list(): Promise<Bin[]>;
  update(id: string, patch: BinPatch, now: number): Promise<Bin | undefined>;
  delete(id: string): Promise<boolean>;
  /** TTL refresh on UI/API use. */
  touch(id: string, now: number): Promise<void>;
  /** Deletes bins unused since `olderThan`, with their requests; returns how many. */
  expire(olderThan: number): Promise<number>;
  /**
   * Counts one more match of the bin's rule `rule` and returns the count (1 for the first), as
   * one atomic step on the shared store: every instance sees one sequence. Saving the rules
   * (`update` with `rules`) starts the counts again; deleting the bin drops them.
   */
  countMatch(id: string, rule: number): Promise<number>;
}

export interface RequestStore {
  /**
   * Assigns `seq`, stores the request and evicts beyond `maxPerBin` (O(1)); resolves only after
   * the row is durably committed (drivers group-commit concurrent inserts). `contentType`, when
   * given, is `contentTypeOf(rawHeaders)` the caller already found.
   */
  insert(
    request: Omit<CapturedRequest, 'seq'> & { contentType?: string },
    maxPerBin: number,
  ): Promise<CapturedRequest>;
  get(binId: string, id: string): Promise<CapturedRequest | undefined>;
  list(binId: string, query: RequestQuery): Promise<RequestPage>;
  delete(binId: string, id: string): Promise<boolean>;
  clear(binId: string): Promise<number>;
  /**
   * Evicts now what is beyond the newest `keep` (a lowered limit), counted like capture's
   * evictions; returns how many went.
   */
  trim(binId: string, keep: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Replays: a captured request sent again to another URL, kept with the request

/** What was changed before sending (an edited body no longer matches a signature over it). */
export interface ReplayEdits {
  method: boolean;
  path: boolean;
  headers: boolean;
  body: boolean;
}

export interface StoredReplay {
  /** `rpl_…`, unguessable. */
  id: string;
  binId: string;
  requestId: string;
  createdAt: number;
  edited: ReplayEdits;
  /** What was sent (exact lines and bytes) and what came back (bounded like delivery attempts). */
  attempt: ReplayAttempt;
}

export interface ReplayStore {
  /**
   * Records a replay of a stored request and keeps only its newest `keep` replays. False, and
   * nothing stored, when the request is gone (deleted, evicted, or its bin deleted meanwhile).
   * A replay whose `edited.body` is false sent the captured body: drivers keep it once.
   */
  record(replay: StoredReplay, keep: number): Promise<boolean>;
  /** The replays of one request, newest first (they go when the request goes). */
  list(binId: string, requestId: string): Promise<StoredReplay[]>;
}

// ---------------------------------------------------------------------------------------------
// Two-way forwarding: a `tail --respond` forwarder answers a bin's requests for it

/** An answer the forwarder relayed from the developer's app: status, header lines, exact bytes. */
export interface ForwardAnswer {
  status: number;
  /** The reason phrase the app sent (`OK`), kept so the status line is the app's. */
  statusText: string;
  /** In order and case as the app sent them (hop-by-hop ones already dropped). */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/**
 * How a held request ended: `answered` (the app's answer was sent), or the bin answered as
 * configured because the forwarder was `timed_out`, `gone` (disconnected before answering), or
 * `failed` (it answered with an error: the app was unreachable, or its answer too large).
 */
export type ForwardOutcome = 'pending' | 'answered' | 'timed_out' | 'gone' | 'failed';

export interface StoredForward {
  binId: string;
  requestId: string;
  heldAt: number;
  timeoutMs: number;
  outcome: ForwardOutcome;
  settledAt: number | undefined;
  /** Why it was not answered by the app (set for every outcome but `answered`). */
  reason: string | undefined;
  /** How long the app took, as the forwarder measured it. */
  appMs: number | undefined;
  answer: ForwardAnswer | undefined;
}

export type ForwardSettlement =
  | { outcome: 'answered'; at: number; appMs: number; answer: ForwardAnswer }
  | { outcome: 'timed_out' | 'gone' | 'failed'; at: number; reason: string; appMs?: number };

export interface ForwardStore {
  /** Records a request held for the forwarder (pending); false when the request is gone. */
  hold(forward: {
    binId: string;
    requestId: string;
    heldAt: number;
    timeoutMs: number;
  }): Promise<boolean>;
  /**
   * Settles a pending hold; false when it was settled already (the first settlement wins: an
   * answer racing the timeout) or is gone with its request.
   */
  settle(binId: string, requestId: string, settlement: ForwardSettlement): Promise<boolean>;
  get(binId: string, requestId: string): Promise<StoredForward | undefined>;
}

/** The responding forwarder of a bin: one at a time across every instance (a lease). */
export interface ResponderStore {
  /**
   * Makes `owner` the bin's responder until `now + leaseMs`, unless another owner's lease still
   * runs; true when `owner` holds it now.
   */
  claim(
    binId: string,
    owner: string,
    options: { timeoutMs: number; now: number; leaseMs: number },
  ): Promise<boolean>;
  /** Extends the leases of `owners` (heartbeat of the instance that holds them). */
  renew(owners: readonly string[], now: number, leaseMs: number): Promise<void>;
  release(binId: string, owner: string): Promise<void>;
  /** The bin's responder whose lease runs at `now`, and how long it may take per request. */
  holder(binId: string, now: number): Promise<{ owner: string; timeoutMs: number } | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Sandbox: webhooks stored like the plugin stores them, a durable outbox and the attempt log

export interface SandboxWebhook {
  id: number;
  name: string;
  webhookUrl: string;
  event: string;
  eventCount: number;
  active: boolean;
  hidden: boolean;
  integration: string;
  dateCreated: number;
  dateModified: number;
  dateLastFailed: number | undefined;
  migratedFromId: number;
  /** Ours, not the plugin's: how the dispatcher sends to this webhook. */
  profile: Profile;
  /** `whsec_…`, used by the standard profile. */
  secret: string;
}

/** What a fire needs of each webhook it queues a delivery for. */
export type FireTarget = Pick<SandboxWebhook, 'id' | 'profile' | 'webhookUrl'>;

export type NewWebhook = Omit<SandboxWebhook, 'id'>;
export type WebhookPatch = Partial<Omit<SandboxWebhook, 'id'>>;

export interface WebhookQuery {
  event?: string;
  integration?: string;
  active?: boolean;
  search?: string;
  orderby: 'id' | 'name' | 'event' | 'date_created' | 'date_modified' | 'event_count';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface WebhookStore {
  create(webhook: NewWebhook): Promise<SandboxWebhook>;
  get(id: number): Promise<SandboxWebhook | undefined>;
  list(query: WebhookQuery): Promise<{ items: SandboxWebhook[]; total: number }>;
  update(id: number, patch: WebhookPatch): Promise<SandboxWebhook | undefined>;
  delete(id: number): Promise<boolean>;
  /**
   * Active webhooks subscribed to `event`, by id (the sandbox fires only active ones): only what a
   * fire needs, read on every fire. Treat the list as read-only: a driver may hand out the same one.
   */
  forEvent(event: string): Promise<readonly FireTarget[]>;
  /** Adds `by` (default 1) to event_count and sets date_modified to `now`. */
  incrementCount(id: number, now: number, by?: number): Promise<void>;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed' | 'gave-up';

export interface Delivery {
  /** Also the `webhook-id` header: the same on every retry. */
  id: string;
  webhookId: number;
  event: string;
  /** The exact JSON payload fired (before profile encoding). */
  payload: string;
  profile: Profile;
  /** Target URL copied at fire time, so later edits do not rewrite history. */
  url: string;
  status: DeliveryStatus;
  attemptCount: number;
  createdAt: number;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: number | undefined;
  /** Lease holder while delivering; an expired lease makes the delivery claimable again. */
  leaseOwner: string | undefined;
  leaseUntil: number | undefined;
}

export interface StoredAttempt extends Attempt {
  deliveryId: string;
  number: number;
  /** What the dispatcher decided after this attempt. */
  outcome: 'success' | 'retry' | 'give-up' | 'disable' | 'recorded';
  nextAttemptAt: number | undefined;
  /** Why (e.g. `410 Gone: the webhook was deactivated`). */
  reason?: string | undefined;
}

export interface NewDelivery {
  id: string;
  webhookId: number;
  event: string;
  payload: string;
  profile: Profile;
  url: string;
  createdAt: number;
}

export interface DeliveryQuery {
  webhookId?: number;
  event?: string;
  status?: DeliveryStatus;
  before?: string;
  limit: number;
}

/** What `claim` takes besides the owner: named, so two numbers cannot be swapped unnoticed. */
interface ClaimOptions {
  /** Epoch ms: what is due by then, and leases that ended by then, can be claimed. */
  now: number;
  /** The lease runs until `now + leaseMs`. */
  leaseMs: number;
  /** Most deliveries to claim. */
  limit: number;
  /** URL origins to skip (targets the caller has no room for). */
  excludeOrigins?: readonly string[];
}

export interface DeliveryStore {
  /** Writes all deliveries durably in one transaction before the fire is acknowledged. */
  enqueue(deliveries: NewDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` due deliveries (pending and due, or with an expired lease), oldest due
   * first, skipping targets in `excludeOrigins` (a slow target never fills the caller's buffer).
   */
  claim(owner: string, options: ClaimOptions): Promise<Delivery[]>;
  /**
   * Leases one delivery by id, whatever its state (a redelivery by hand): pending or finished,
   * or delivering under a lease that ran out. Returns it leased (status `delivering`) with the
   * status and next attempt time it had; `busy` while someone else's lease holds; undefined for
   * an unknown id. The lease holder records the attempt with `recordAttempt`.
   */
  claimOne(
    owner: string,
    id: string,
    options: { now: number; leaseMs: number },
  ): Promise<
    { delivery: Delivery; before: Pick<Delivery, 'status' | 'nextAttemptAt'> } | 'busy' | undefined
  >;
  /** Extends every lease `owner` holds to `now + leaseMs` (heartbeat while sending). */
  renew(owner: string, now: number, leaseMs: number): Promise<void>;
  /** Gives claimed, unsent deliveries back (pending, due now): used on stop. */
  release(owner: string, ids: readonly string[]): Promise<void>;
  /** Records one attempt and moves the delivery on, only if `owner` still holds the lease. */
  recordAttempt(
    owner: string,
    attempt: StoredAttempt,
    next: Pick<Delivery, 'status' | 'nextAttemptAt'>,
  ): Promise<boolean>;
  get(id: string): Promise<(Delivery & { attempts: StoredAttempt[] }) | undefined>;
  list(query: DeliveryQuery): Promise<{
    items: Array<Delivery & { attempts: StoredAttempt[] }>;
    nextBefore: string | undefined;
  }>;
  /**
   * The earliest time something may become claimable: a pending delivery's nextAttemptAt or a
   * lease's end (lets the dispatcher sleep until then).
   */
  nextDue(): Promise<number | undefined>;
  /**
   * Deletes up to `limit` finished deliveries (succeeded, failed, gave-up) created before
   * `olderThan`, with their attempts and payloads; returns how many went (log retention).
   */
  prune(olderThan: number, limit: number): Promise<number>;
}

export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /**
   * Stores `value` unless `key` has a value already, and returns the value now stored: servers
   * starting together on one shared store all end up with the same generated value.
   */
  setIfAbsent(key: string, value: string): Promise<string>;
}

export interface Store {
  readonly kind: 'sqlite' | 'memory' | 'postgres';
  bins: BinStore;
  requests: RequestStore;
  replays: ReplayStore;
  forwards: ForwardStore;
  responders: ResponderStore;
  webhooks: WebhookStore;
  deliveries: DeliveryStore;
  settings: SettingsStore;
  /** Flushes pending commits and closes. */
  close(): Promise<void>;
}
