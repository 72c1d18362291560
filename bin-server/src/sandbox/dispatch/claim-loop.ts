import type { DeliveryStore } from '../../store/types.js';
import type { Wakeup } from './wakeup.js';
import type { WorkPool } from './work-pool.js';

const MAX_SLEEP_MS = 60_000;
/** When due work exists but nothing could be claimed (targets full): look again this soon. */
const BUSY_RECHECK_MS = 250;

export interface ClaimLoopOptions {
  pool: WorkPool;
  deliveries: DeliveryStore;
  wakeup: Wakeup;
  now(): number;
  /** This network's URL; '' until the server listens. */
  baseUrl(): string;
  log(message: string): void;
  stopping(): boolean;
}

/**
 * Claims while claims come back full; then sleeps until the next delivery is due, a wake-up
 * (a fire, a retry scheduled, room freed) or a minute, whichever is first. Resolves once
 * stopping.
 */
export async function runClaimLoop(options: ClaimLoopOptions): Promise<void> {
  const { pool, deliveries, wakeup } = options;
  // The plugin profile names this network's URL (User-Agent): wait until the server listens.
  while (!options.stopping() && options.baseUrl() === '') await wakeup.sleep(20);
  while (!options.stopping()) {
    try {
      const { claimed, asked } = await pool.claim();
      if (options.stopping()) break;
      if (asked === 0) {
        // Buffer full: a finished send wakes us.
        await wakeup.sleep(MAX_SLEEP_MS);
        continue;
      }
      if (claimed === asked) continue;
      const due = await deliveries.nextDue();
      const wait = due === undefined ? MAX_SLEEP_MS : due - options.now();
      if (wait > 0) await wakeup.sleep(Math.min(wait, MAX_SLEEP_MS));
      else if (claimed === 0) await wakeup.sleep(BUSY_RECHECK_MS);
    } catch (error) {
      if (options.stopping()) break;
      options.log(`dispatcher: ${String(error)}`);
      await wakeup.sleep(1000);
    }
  }
}
