import type { Bus } from './bus/types.js';
import type { Config } from './config.js';
import type { Outbound } from './outbound/types.js';
import type { NewDelivery, Store } from './store/types.js';

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
  /** This process's dispatcher, once it runs: fires hand it what it has room for. */
  dispatchIntake?: DispatchIntake;
}

/**
 * A fire's deliveries that the local dispatcher has room for are queued already leased to it and
 * sent without a claim (the outbox and the lease stay the truth: after a crash they are sent
 * again, as claimed ones are); the rest wait in the outbox for a claim, as every delivery of
 * another instance's fire does.
 */
export interface DispatchIntake {
  /** Before queueing: sets `lease` on the deliveries it takes. */
  take(deliveries: NewDelivery[]): void;
  /** After queueing: sends the ones it took (`committed`), or lets them go. */
  settle(deliveries: readonly NewDelivery[], committed: boolean): void;
}
