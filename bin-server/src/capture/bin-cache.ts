import { createBinScopedCache, type BinScopedCache } from '../bus/bin-scoped-cache.js';
import type { Bus } from '../bus/types.js';
import type { Bin, Store } from '../store/types.js';

/** The bin (its id and response settings; counts may be stale), or undefined if there is none. */
export type BinCache = BinScopedCache<Bin | undefined>;

/**
 * Capture looks its bin up on every request; this keeps recently used bins for `ttlMs`, dropped as
 * soon as `bin.changed` / `bin.deleted` is published for them (the API does), so a changed
 * response applies to the next request. Only existing bins are cached. A deleted bin still fails
 * its insert, so it answers 404.
 */
export function createBinCache(store: Store, bus: Bus, ttlMs = 5000, max = 1000): BinCache {
  return createBinScopedCache(bus, (id) => store.bins.get(id), {
    dropOn: ['bin.changed', 'bin.deleted'],
    ttlMs,
    max,
    keep: (bin) => bin !== undefined,
  });
}
