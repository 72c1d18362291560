import type { ReplayAttempt, ReplayRequest } from '@umhooks/core';
import type { Bus } from './bus/types.js';
import type { Config } from './config.js';
import type { Store } from './store/types.js';

/** What every part of the server is given; parts never reach into each other. */
export interface Context {
  config: Config;
  store: Store;
  bus: Bus;
  /** Epoch ms; injectable so TTL and retry timing can be tested without sleeping. */
  now(): number;
  /** Base URL users reach this server at (`--public-url`, else the listening address). */
  baseUrl(): string;
  /** Token required by the UI, /api and /ws; undefined on loopback without `--token`. */
  token: string | undefined;
  log(message: string): void;
  /** Aborted when the server starts closing: long-polls and workers stop waiting. */
  signal: AbortSignal;
  /** The one way out for requests a user has the server send (replays): see `Outbound`. */
  outbound: Outbound;
}

/**
 * Sends what a UI or API user asks the server to send. Wired in server.ts, the one place where
 * the outbound policy (which targets a shared server may reach) applies to it.
 */
interface Outbound {
  replay(request: ReplayRequest, options: { signal?: AbortSignal }): Promise<ReplayAttempt>;
}
