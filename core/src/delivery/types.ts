import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import type { BlockedHint } from './network-guard.js';

/** `plugin`: byte-for-byte what Ultimate Multisite sends. `standard`: Standard Webhooks, signed, retried. */
export type Profile = 'plugin' | 'standard';

export type DeliveryErrorKind =
  | 'timeout'
  | 'refused'
  | 'dns'
  | 'tls'
  | 'too-large'
  | 'reset'
  | 'redirect'
  | 'invalid-url'
  /** `blockPrivateNetworks` refused the target (a private, loopback or link-local address). */
  | 'blocked'
  | 'other';

export interface DeliverOptions {
  profile: Profile;
  /** `whsec_…` secret; required by the `standard` profile. */
  secret?: string;
  /** `webhook-id`, the idempotency key; keep it across retries. Generated when absent. */
  messageId?: string;
  /** `webhook-timestamp` in unix seconds (standard profile); now when absent. */
  timestamp?: number;
  /** Bound of the whole attempt, redirects included. Defaults: 45 s (plugin), 15 s (standard). */
  timeoutMs?: number;
  /** Plugin profile: `User-Agent: WordPress/<wpVersion>; <siteUrl>` (defaults 6.8.3, http://localhost). */
  wpVersion?: string;
  siteUrl?: string;
  /**
   * `wu_version` written into the body the way the plugin does (`$payload['wu_version'] = …`:
   * replaced in place or appended). When absent, a payload's own `wu_version` is kept and a
   * payload without one gets `2.4.12`.
   */
  wuVersion?: string;
  /** Event id, when known: lets the plugin encoder write floats the way PHP does. */
  eventId?: string;
  /** Bound of the stored response body excerpt (default 64 KiB); reading stops there. */
  maxResponseBytes?: number;
  /**
   * Standard profile: the connection pool to use (keep-alive); a shared default otherwise. The
   * plugin profile does not take one (it sends over node:http, a new connection per delivery,
   * to keep WordPress's header lines): passing one is refused.
   */
  dispatcher?: Dispatcher;
  /** Plugin profile: name resolution (`dns.lookup` by default); the private-network guard wraps it. */
  lookup?: LookupFunction;
  /**
   * Refuse private, loopback and link-local targets (hosted use). Off by default: a local
   * developer tool must reach localhost. Checks literal IPs and every resolved address.
   */
  blockPrivateNetworks?: boolean;
  /** How a refusal names the setting that refused (default: `blockPrivateNetworks`). */
  blockedHint?: BlockedHint;
  /**
   * Answers some targets without the network (a server's own capture URLs, captured in
   * process): return a promise for those, undefined for the rest. Asked at every hop, before
   * the private-network guard, so a redirect from a local answer is checked like any target.
   */
  local?: LocalRoute;
  /** Aborts the attempt (shutdown). */
  signal?: AbortSignal;
}

/** One HTTP request/response as a transport saw it (or a local route answered it). */
export interface ExchangeResult {
  status?: number;
  /** In order and case as received. */
  headers?: Array<[string, string]>;
  /** UTF-8 text of at most the bound's bytes (content-encoding removed). */
  body?: string;
  truncated?: boolean;
  error?: { kind: DeliveryErrorKind; message: string; code?: string };
}

/** Targets answered in process instead of over the network (see DeliverOptions.local). */
export interface LocalRoute {
  /** True for a URL this route answers. */
  handles(url: URL): boolean;
  exchange(request: AttemptRequest, limits: LocalLimits): Promise<ExchangeResult>;
}

/** The bounds a local answer keeps to, like a network exchange. */
export interface LocalLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface AttemptRequest {
  method: 'POST' | 'GET';
  url: string;
  /**
   * Exactly the header lines written on the wire, in order and case: for the plugin profile
   * WordPress's list (Host … Content-Length), for the standard one including the `host`,
   * `connection` and `content-length` lines undici adds.
   */
  headers: Array<[string, string]>;
  /** Exactly the body bytes sent, as UTF-8 text. */
  body: string;
}

/** One redirect the plugin profile followed (WordPress follows up to 5). */
export interface RedirectHop {
  method: 'POST' | 'GET';
  url: string;
  status: number;
  location: string;
}

export interface Attempt {
  /** ISO-8601 with timezone. */
  startedAt: string;
  durationMs: number;
  /** The first request sent (a followed redirect re-sends it to `redirects[i].location`). */
  request: AttemptRequest;
  /** Redirects followed before the final response (plugin profile only). */
  redirects?: RedirectHop[];
  /** The URL that gave the final response, when redirects were followed. */
  finalUrl?: string;
  /** Present when a response arrived. */
  status?: number;
  /** In order and case as received; repeated headers stay separate entries. */
  responseHeaders?: Array<[string, string]>;
  /**
   * UTF-8 text of at most `maxResponseBytes` bytes of the response body, after removing a
   * gzip/deflate/br `content-encoding` (the plugin profile advertises them like cURL does).
   */
  responseBody?: string;
  responseTruncated?: boolean;
  /** Present when no usable response arrived (or the response was refused, e.g. too large). */
  error?: { kind: DeliveryErrorKind; message: string; code?: string };
  /** Seconds or date from a `Retry-After` response header, converted to milliseconds from now. */
  retryAfterMs?: number;
}

export type NextStep =
  | { action: 'success' }
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'give-up'; reason: string }
  | { action: 'disable'; reason: string };

export interface RetryPolicy {
  /** Total attempts including the first (default 8). */
  maxAttempts: number;
  /** Exponential backoff base with full jitter, used when there is no `schedule`. */
  baseDelayMs: number;
  /** Cap of every delay, Retry-After included (default 10 h). */
  maxDelayMs: number;
  /**
   * Planned delay before retry n (n = 1 after the first attempt; the last entry repeats),
   * jittered by ±20%. The default is Svix's schedule.
   */
  schedule?: readonly number[];
  /** Uniform [0, 1) source for the jitter; `Math.random` when absent. Tests inject their own. */
  random?: () => number;
}
