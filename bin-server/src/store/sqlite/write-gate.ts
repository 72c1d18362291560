/**
 * Held shut while the checkpointer restarts the WAL (checkpointer.ts), so that the event loop's
 * writers wait for it without blocking.
 *
 * A RESTART checkpoint holds SQLite's write lock while it copies the last frames and syncs. A
 * write attempted meanwhile is not queued by SQLite: the connection's busy handler sleeps on the
 * event loop, in steps of 1, 2, 5, 10… ms, so a few-millisecond checkpoint stalled capture, live
 * pushes and the API for 8-23 ms (measured: every few seconds under load, the capture
 * benchmark's p99). Writers that see the gate shut instead keep their work queued (group commit,
 * write queue) or await `opened()` and write as soon as the checkpoint is done.
 */
export interface WriteGate {
  readonly closed: boolean;
  /** Calls `callback` once the gate is open: now if it is. */
  whenOpen(callback: () => void): void;
  /** Resolves once the gate is open. */
  opened(): Promise<void>;
  close(): void;
  open(): void;
}

export function createWriteGate(): WriteGate {
  let closed = false;
  let waiting: Array<() => void> = [];
  const gate: WriteGate = {
    get closed() {
      return closed;
    },
    whenOpen(callback) {
      if (closed) waiting.push(callback);
      else callback();
    },
    opened() {
      return closed ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
    },
    close() {
      closed = true;
    },
    open() {
      if (!closed) return;
      closed = false;
      const callbacks = waiting;
      waiting = [];
      for (const callback of callbacks) callback();
    },
  };
  return gate;
}

/** A batching writer's side of the gate (group commit, write queue). */
export interface GateHold {
  /** While the gate is shut: arranges one `flush` for when it opens, and answers true. */
  defer(): boolean;
  /** A flush is arranged for when the gate opens: keep collecting until then. */
  readonly holding: boolean;
}

export function holdWhileShut(gate: WriteGate | undefined, flush: () => void): GateHold {
  let holding = false;
  return {
    defer() {
      if (!gate?.closed) return false;
      if (!holding) {
        holding = true;
        gate.whenOpen(() => {
          holding = false;
          flush();
        });
      }
      return true;
    },
    get holding() {
      return holding;
    },
  };
}
