import { topicOf } from './events.js';
import { createSubscribers } from './subscribers.js';
import type { Bus } from './types.js';

/** Single-instance fan-out. */
export function createMemoryBus(log: (message: string) => void): Bus {
  const subscribers = createSubscribers((topic, error) =>
    log(`bus: a subscriber of ${topic} failed: ${String(error)}`),
  );
  return {
    publish: (event) => subscribers.deliver(topicOf(event), event),
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    async close() {
      subscribers.clear();
    },
  };
}
