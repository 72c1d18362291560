import { EventEmitter } from 'node:events';
import type { Bus, Topic } from './types.js';

/** Single-instance fan-out. */
export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(topic: Topic, message: object) {
      emitter.emit(topic, message);
    },
    subscribe(topic: Topic, handler: (message: object) => void) {
      emitter.on(topic, handler);
      return () => emitter.off(topic, handler);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
