import { useEffect, useRef, useState } from 'preact/hooks';
import { LiveSocket, type LiveState } from './socket.js';

interface Listener {
  onMessage(message: unknown): void;
  onResync(): void;
  onState(state: LiveState): void;
}

interface Shared {
  socket: LiveSocket<unknown>;
  listeners: Set<Listener>;
  state: LiveState;
}

// Components that want the same stream (e.g. a webhook list and a delivery log) share one socket.
const sockets = new Map<string, Shared>();

function subscribe(query: string, listener: Listener): () => void {
  let shared = sockets.get(query);
  if (!shared) {
    const listeners = new Set<Listener>();
    const created: Shared = {
      listeners,
      state: 'connecting',
      socket: new LiveSocket<unknown>(query, {
        onMessage: (m) => listeners.forEach((l) => l.onMessage(m)),
        onResync: () => listeners.forEach((l) => l.onResync()),
        onState: (state) => {
          created.state = state;
          listeners.forEach((l) => l.onState(state));
        },
      }),
    };
    shared = created;
    sockets.set(query, shared);
    shared.socket.start();
  }
  shared.listeners.add(listener);
  listener.onState(shared.state);
  const current = shared;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0) {
      current.socket.stop();
      sockets.delete(query);
    }
  };
}

/**
 * Receives live messages for `query` (e.g. `bin=abc`, `sandbox=1`) while mounted; null: none. The
 * latest handlers are always used, without reconnecting when they change.
 */
export function useLive<M>(
  query: string | null,
  onMessage: (message: M) => void,
  onResync: () => void,
): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handlers = useRef({ onMessage, onResync });
  handlers.current = { onMessage, onResync };
  useEffect(() => {
    if (query === null) return;
    return subscribe(query, {
      onMessage: (m) => handlers.current.onMessage(m as M),
      onResync: () => handlers.current.onResync(),
      onState: setState,
    });
  }, [query]);
  return state;
}
