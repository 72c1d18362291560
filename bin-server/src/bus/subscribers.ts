import type { DomainEvent, Topic } from './events.js';

type Handler = (event: DomainEvent) => void;

/**
 * An instance's subscribers by topic, for both bus drivers. A Set per topic: a topic may hold
 * thousands of subscribers (one per waiting long-poll) and each leaves in constant time, where an
 * EventEmitter's listener array is searched and spliced on every removal.
 */
export interface Subscribers {
  add(topic: Topic, handler: Handler): () => void;
  /** Hands `event` to the topic's subscribers; one that throws does not stop the others. */
  deliver(topic: Topic, event: DomainEvent): void;
  topics(): Topic[];
  clear(): void;
}

export function createSubscribers(onError: (topic: Topic, error: unknown) => void): Subscribers {
  const byTopic = new Map<Topic, Set<Handler>>();
  return {
    add(topic, handler) {
      let set = byTopic.get(topic);
      if (!set) {
        set = new Set();
        byTopic.set(topic, set);
      }
      set.add(handler);
      return () => {
        const current = byTopic.get(topic);
        if (!current) return;
        current.delete(handler);
        if (current.size === 0) byTopic.delete(topic);
      };
    },
    deliver(topic, event) {
      const set = byTopic.get(topic);
      if (!set) return;
      // A copy: a handler may subscribe or unsubscribe others; those who join during this event
      // do not get it (they read the store after subscribing).
      for (const handler of [...set]) {
        try {
          handler(event);
        } catch (error) {
          onError(topic, error);
        }
      }
    },
    topics: () => [...byTopic.keys()],
    clear: () => byTopic.clear(),
  };
}
