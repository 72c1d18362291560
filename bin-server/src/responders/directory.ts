import { createBinScopedCache, type BinScopedCache } from '../bus/bin-scoped-cache.js';
import type { Bus } from '../bus/types.js';
import type { Store } from '../store/types.js';

/** The bin's responding forwarder now (from a short-lived cache), if any. */
export type ResponderDirectory = BinScopedCache<{ owner: string; timeoutMs: number } | undefined>;

/**
 * Capture asks on every request whether a forwarder answers for the bin: the answer, found or
 * not, is kept for `ttlMs` and dropped as soon as `responder.changed` is published for the bin,
 * so a forwarder that connects to any instance is seen by the next request; the TTL bounds a
 * forwarder whose instance died (its lease runs out).
 */
export function createResponderDirectory(
  store: Store,
  bus: Bus,
  ttlMs = 2000,
  max = 1000,
): ResponderDirectory {
  return createBinScopedCache(bus, (binId, now) => store.responders.holder(binId, now), {
    dropOn: ['responder.changed', 'bin.deleted'],
    ttlMs,
    max,
  });
}
