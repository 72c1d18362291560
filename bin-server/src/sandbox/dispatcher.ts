import type { Context } from '../context.js';
// STUB: the outbox dispatcher.
export interface Dispatcher {
  /** Wakes the workers (after a fire). */
  poke(): void;
  stop(): Promise<void>;
}
export function startDispatcher(_context: Context): Dispatcher {
  return { poke: () => {}, stop: async () => {} };
}
