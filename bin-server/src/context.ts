import type { Bus } from './bus/types.js';
import type { Config } from './config.js';
import type { Outbound } from './outbound/types.js';
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
  /** Every request the server itself sends goes through this (`--outbound`). */
  outbound: Outbound;
  /** Aborted when the server starts closing: long-polls and workers stop waiting. */
  signal: AbortSignal;
}
