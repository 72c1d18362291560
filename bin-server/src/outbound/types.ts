import type { Attempt, DeliverOptions, ExchangeResult } from '@umhooks/core';

/** `any`: send anywhere (a developer's machine). `public`: refuse non-public addresses (a shared server). */
export type OutboundMode = 'any' | 'public';

/** A request to send as given: any method, header lines in order and case, exact body bytes. */
interface OutboundRequest {
  method: string;
  /** Absolute http(s) URL. */
  url: string;
  /**
   * Written exactly as listed. `Host` (the URL's) is put first when absent; `Content-Length` is
   * added when absent and there is a body or the method is not GET/HEAD/DELETE/OPTIONS;
   * `Connection: close` last when there is no Connection line (a connection per request). Leave
   * out hop-by-hop headers and `Transfer-Encoding` (the body is sent with a length).
   */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

interface OutboundSendOptions {
  /** Bound of the whole exchange; default 30 s. */
  timeoutMs?: number;
  /** Bound of the response body read; default 64 KiB (sandbox attempts' bound). */
  maxResponseBytes?: number;
  /** Aborts the exchange (e.g. the server's shutdown signal). */
  signal?: AbortSignal;
}

/** What came back: core's exchange result (status, headers, body, truncated, or error). */
export interface OutboundResult extends ExchangeResult {
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  /** The header lines actually written (with the Host, Content-Length and Connection added). */
  sentHeaders: Array<[string, string]>;
  /** True when the target was one of this server's capture URLs, captured in process. */
  inProcess: boolean;
}

/**
 * Every request the server itself sends (sandbox deliveries, Send Test Event, replays) goes
 * through this: it applies `--outbound` and captures this server's own bin URLs in process.
 */
export interface Outbound {
  readonly mode: OutboundMode;
  /** core's `deliver` with the setting applied (guard, resolver, own bins in process). */
  deliver(target: string, payload: unknown, options: DeliverOptions): Promise<Attempt>;
  /** Sends a raw request; never follows redirects; never throws (failures are `error`). */
  send(request: OutboundRequest, options?: OutboundSendOptions): Promise<OutboundResult>;
  /** True for a URL of one of this server's bins (`<public or listening URL>/b/<bin>…`). */
  isOwnCaptureUrl(url: string): boolean;
  /** Closes the connection pool (server shutdown). */
  close(): Promise<void>;
}

/** A request captured in process, addressed by its path and query below the server's base URL. */
interface LocalRequest {
  method: string;
  /** `/b/<bin>[/…][?query]`, raw. */
  path: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export interface LocalAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** The capture part's in-process entry (capture/in-process.ts), given to the outbound at wiring. */
export type LocalCapture = (request: LocalRequest, signal: AbortSignal) => Promise<LocalAnswer>;
