import type { Bus, DomainEvent, Topic } from '../bus/types.js';

/**
 * Which viewers watch which topic. The hub holds one bus subscription per topic that has
 * viewers, and turns each event into bytes once for all of them (`encode`; undefined: nothing
 * to send).
 */
export interface TopicRegistry<V> {
  add(topic: Topic, viewer: V): void;
  remove(topic: Topic, viewer: V): void;
  readonly size: number;
  close(): void;
}

export function createTopicRegistry<V>(
  bus: Bus,
  encode: (event: DomainEvent) => Buffer | undefined,
  forward: (viewers: ReadonlySet<V>, data: Buffer) => void,
): TopicRegistry<V> {
  const topics = new Map<Topic, { viewers: Set<V>; unsubscribe: () => void }>();
  return {
    add(topic, viewer) {
      let entry = topics.get(topic);
      if (!entry) {
        const viewers = new Set<V>();
        const unsubscribe = bus.subscribe(topic, (event) => {
          const data = encode(event);
          if (data) forward(viewers, data);
        });
        entry = { viewers, unsubscribe };
        topics.set(topic, entry);
      }
      entry.viewers.add(viewer);
    },
    remove(topic, viewer) {
      const entry = topics.get(topic);
      if (!entry) return;
      entry.viewers.delete(viewer);
      if (entry.viewers.size === 0) {
        entry.unsubscribe();
        topics.delete(topic);
      }
    },
    get size() {
      return topics.size;
    },
    close() {
      for (const entry of topics.values()) entry.unsubscribe();
      topics.clear();
    },
  };
}
