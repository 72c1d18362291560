import type { Bus } from '../bus/types.js';
import type { Store } from '../store/types.js';

export interface ResponderDirectory {
  /** The bin's responding forwarder now (from a short-lived cache), if any. */
  get(binId: string, now: number): Promise<{ owner: string; timeoutMs: number } | undefined>;
}

/**
 * Capture asks on every request whether a forwarder answers for the bin: the answer, found or
 * not, is kept for `ttlMs` and dropped as soon as `responder.changed` (or a `missed` notice) is
 * published for the bin, so a forwarder that connects to any instance is seen by the next
 * request; the TTL bounds a forwarder whose instance died (its lease runs out).
 */
export function createResponderDirectory(
  store: Store,
  bus: Bus,
  ttlMs = 2000,
  max = 1000,
): ResponderDirectory {
  type Holder = { owner: string; timeoutMs: number } | undefined;
  const entries = new Map<string, { holder: Holder; until: number; unsubscribe: () => void }>();

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
        if (hit.until > now) return hit.holder;
        drop(binId);
      }
      // Subscribed before reading: a change published meanwhile drops what is read.
      let changed = false;
      const unsubscribe = bus.subscribe(`bin:${binId}`, (event) => {
        const { type } = event;
        if (type === 'responder.changed' || type === 'missed' || type === 'bin.deleted') {
          changed = true;
          drop(binId);
        }
      });
      let holder: Holder;
      try {
        holder = await store.responders.holder(binId, now);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      if (changed || entries.has(binId)) {
        unsubscribe();
        return holder;
      }
      if (entries.size >= max) drop(entries.keys().next().value!);
      entries.set(binId, { holder, until: now + ttlMs, unsubscribe });
      return holder;
    },
  };
}
