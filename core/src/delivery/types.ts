import type { Dispatcher } from 'undici';

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
  | 'other';

export interface DeliverOptions {
  profile: Profile;
  /** `whsec_…` secret; required by the `standard` profile. */
  secret?: string;
  /** `webhook-id`, the idempotency key; keep it across retries. Generated when absent. */
  messageId?: string;
  /** Defaults: 45 s (plugin), 15 s (standard). */
  timeoutMs?: number;
  /** Plugin profile: `User-Agent: WordPress/<wpVersion>; <siteUrl>`, body gets `wu_version`. */
  wpVersion?: string;
  siteUrl?: string;
  wuVersion?: string;
  /** Event id, when known: lets the plugin encoder write floats the way PHP does. */
  eventId?: string;
  /** Bound of the stored response body excerpt (default 64 KiB). */
  maxResponseBytes?: number;
  /** Connection pool to use (keep-alive); a shared default otherwise. */
  dispatcher?: Dispatcher;
  /** Aborts the attempt (shutdown). */
  signal?: AbortSignal;
}

export interface AttemptRequest {
  method: 'POST';
  url: string;
  /** Exactly the headers sent, in order. */
  headers: Array<[string, string]>;
  /** Exactly the body bytes sent, as UTF-8 text. */
  body: string;
}

export interface Attempt {
  /** ISO-8601 with timezone. */
  startedAt: string;
  durationMs: number;
  request: AttemptRequest;
  /** Present when a response arrived. */
  status?: number;
  responseHeaders?: Array<[string, string]>;
  /** UTF-8 text of at most `maxResponseBytes` bytes of the response body. */
  responseBody?: string;
  responseTruncated?: boolean;
  /** Present when no usable response arrived (or the response was refused, e.g. too large). */
  error?: { kind: DeliveryErrorKind; message: string };
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
  /** Backoff base and cap (defaults 5 s and 10 h), full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}
