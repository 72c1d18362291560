import type { Database } from 'better-sqlite3';
import { rejectAll, toError } from '../settle.js';
import { holdWhileShut, type WriteGate } from './write-gate.js';

/**
 * Small writes that many callers make at once (the dispatcher recording attempts and counting
 * deliveries, fires enqueueing) are group-committed: every write queued within `windowMs` shares
 * one transaction and one fsync, and each promise settles only after that commit. A write that
 * throws fails alone (its caller's promise rejects) and the others still commit, so writes must
 * not leave half their changes behind when they throw (the sandbox's are single statements or
 * cannot fail midway). A window trades a millisecond or two of latency for fewer commits (each
 * writes whole WAL pages). `windowMs` 0 commits in the check phase of the same turn of the event
 * loop instead (setImmediate), like capture's group commit: what that turn's I/O queued shares
 * the commit, and nothing waits for a timer (the sandbox store: a fire's deliveries are committed
 * before it answers and is dispatched, and the dispatcher batches its attempts itself).
 */
export interface WriteQueue {
  run<T>(write: () => T): Promise<T>;
  /** Commits what is waiting now (close). */
  flush(): void;
}

interface Waiting {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export function createWriteQueue(
  db: Database,
  gate?: WriteGate,
  windowMs = 2,
  maxBatch = 2048,
): WriteQueue {
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const hold = holdWhileShut(gate, flush);

  const commit = db.transaction((batch: readonly Waiting[]) =>
    batch.map(({ write }) => {
      try {
        return { ok: true as const, value: write() };
      } catch (error) {
        return { ok: false as const, error: toError(error) };
      }
    }),
  );

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (immediate) {
      clearImmediate(immediate);
      immediate = undefined;
    }
    if (waiting.length === 0) return;
    // A checkpoint restarts the WAL: commit once it is done (write-gate.ts).
    if (hold.defer()) return;
    const batch = waiting;
    waiting = [];
    let results: ReturnType<typeof commit>;
    try {
      results = commit(batch);
    } catch (error) {
      rejectAll(batch, error);
      return;
    }
    batch.forEach((w, i) => {
      const result = results[i]!;
      if (result.ok) w.resolve(result.value);
      else w.reject(result.error);
    });
  }

  return {
    run<T>(write: () => T) {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ write, resolve: resolve as (value: unknown) => void, reject });
        if (waiting.length >= maxBatch && !hold.holding) flush();
        else if (windowMs === 0) immediate ??= setImmediate(flush);
        else timer ??= setTimeout(flush, windowMs);
      });
    },
    flush,
  };
}
