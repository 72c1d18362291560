import type { DomainEvent } from './events.js';
import type { Bus } from './types.js';

export interface BinScopedCache<T> {
  /** The value for the bin: cached if fresh, else loaded (and kept when `keep` says so). */
  get(binId: string, now: number): Promise<T>;
}

export interface BinScopedCacheOptions<T> {
  /** Event types on the bin's topic that make a cached value stale. */
  dropOn: readonly DomainEvent['type'][];
  ttlMs: number;
  max?: number;
  /** Whether a loaded value is kept (e.g. not a missing bin); default: always. */
  keep?: (value: T) => boolean;
}

/**
 * A per-bin value the hot path reads on every request, loaded from the store and kept for `ttlMs`
 * — dropped as soon as one of `dropOn` (or a `missed` notice: on the scale-out bus a change may
 * arrive only as one) is published for the bin, so a change made on any instance applies to the
 * next request; the TTL bounds anything that changes silently. Subscribed before loading, so a
 * change published while the store answers is not lost.
 */
export function createBinScopedCache<T>(
  bus: Bus,
  load: (binId: string, now: number) => Promise<T>,
  options: BinScopedCacheOptions<T>,
): BinScopedCache<T> {
  const { ttlMs, max = 1000, keep = () => true } = options;
  const stale = new Set<string>([...options.dropOn, 'missed']);
  const entries = new Map<string, { value: T; until: number; unsubscribe: () => void }>();

  function drop(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    entry.unsubscribe();
  }

  return {
    async get(binId, now) {
      const hit = entries.get(binId);
      if (hit) {
        if (hit.until > now) return hit.value;
        drop(binId);
      }
      let changed = false;
      const unsubscribe = bus.subscribe(`bin:${binId}`, (event) => {
        if (!stale.has(event.type)) return;
        changed = true;
        drop(binId);
      });
      let value: T;
      try {
        value = await load(binId, now);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      if (changed || entries.has(binId) || !keep(value)) {
        unsubscribe();
        return value;
      }
      if (entries.size >= max) drop(entries.keys().next().value!);
      entries.set(binId, { value, until: now + ttlMs, unsubscribe });
      return value;
    },
  };
}
