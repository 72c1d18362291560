import type { Bus } from '../bus/types.js';
import type { Bin, Store } from '../store/types.js';

export interface BinCache {
  /** The bin (its id and response settings; counts may be stale), or undefined if there is none. */
  get(id: string, now: number): Promise<Bin | undefined>;
}

/**
 * Capture looks its bin up on every request; this keeps recently used bins for `ttlMs`. Entries
 * are dropped as soon as `bin.changed` / `bin.deleted` is published for them (the API does), so a
 * changed response applies to the next request; the TTL bounds anything that changes silently
 * (expiry). Only existing bins are cached. A deleted bin still fails its insert, so it answers 404.
 */
export function createBinCache(store: Store, bus: Bus, ttlMs = 5000, max = 1000): BinCache {
  const entries = new Map<string, { bin: Bin; until: number; unsubscribe: () => void }>();

  function drop(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    entry.unsubscribe();
  }

  return {
    async get(id, now) {
      const hit = entries.get(id);
      if (hit) {
        if (hit.until > now) return hit.bin;
        drop(id);
      }
      const bin = await store.bins.get(id);
      if (!bin || entries.has(id)) return bin;
      if (entries.size >= max) drop(entries.keys().next().value!);
      const unsubscribe = bus.subscribe(`bin:${id}`, (event) => {
        // `missed`: a change may have reached this instance only as a notice (scale-out bus).
        const { type } = event;
        if (type === 'bin.changed' || type === 'bin.deleted' || type === 'missed') drop(id);
      });
      entries.set(id, { bin, until: now + ttlMs, unsubscribe });
      return bin;
    },
  };
}
