import type { DeliveryStore } from '../../store/types.js';

export interface LeaseRenewerOptions {
  deliveries: DeliveryStore;
  owner: string;
  leaseMs: number;
  now(): number;
  log(message: string): void;
  /** Whether this dispatcher holds claimed work now (nothing to renew otherwise). */
  holding(): boolean;
}

/**
 * The heartbeat of this dispatcher's claims: every third of the lease, every lease it holds is
 * extended, so a claim runs out only when the dispatcher is gone or stalled. Returns `stop`.
 */
export function startLeaseRenewer(options: LeaseRenewerOptions): () => void {
  const { deliveries, owner, leaseMs } = options;
  const timer = setInterval(
    () => {
      if (!options.holding()) return;
      deliveries.renew(owner, options.now(), leaseMs).catch((error: unknown) => {
        options.log(`dispatcher: renewing leases failed: ${String(error)}`);
      });
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
