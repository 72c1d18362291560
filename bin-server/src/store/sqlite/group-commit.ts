import { rejectAll, settleEach, type Settler } from '../settle.js';
import { holdWhileShut, type WriteGate } from './write-gate.js';

/**
 * Group commit: calls to `submit` made in the same turn of the event loop are written by one
 * transaction (one WAL commit, one fsync with synchronous=FULL) instead of one each. Every promise
 * settles only after its batch has committed, so a caller acknowledges nothing that is not on disk.
 */
export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
  /** Writes what is pending now (used by close). */
  flush(): void;
  /** Items waiting for the next batch. */
  readonly pending: number;
}

/**
 * `write` runs one batch inside one transaction and returns, per item, its result or the Error
 * that item alone failed with; if it throws, the transaction rolled back and the whole batch fails.
 */
export function createGroupCommit<I, O>(
  write: (items: readonly I[]) => Array<O | Error>,
  maxBatch: number,
  gate?: WriteGate,
): GroupCommit<I, O> {
  const items: I[] = [];
  const settlers: Array<Settler<O>> = [];
  let scheduled: NodeJS.Immediate | undefined;
  const hold = holdWhileShut(gate, flush);

  function flush(): void {
    if (scheduled) {
      clearImmediate(scheduled);
      scheduled = undefined;
    }
    if (items.length === 0) return;
    // A checkpoint restarts the WAL: keep collecting, write everything once it is done.
    if (hold.defer()) return;
    // At most maxBatch rows per transaction, also when the gate held back more than that.
    while (items.length > 0) commit(items.splice(0, maxBatch), settlers.splice(0, maxBatch));
  }

  function commit(batch: I[], waiting: Array<Settler<O>>): void {
    let results: Array<O | Error>;
    try {
      results = write(batch);
    } catch (error) {
      rejectAll(waiting, error);
      return;
    }
    settleEach(waiting, results);
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        items.push(item);
        settlers.push({ resolve, reject });
        if (items.length >= maxBatch && !hold.holding) flush();
        // The check phase runs right after the poll phase that delivered this turn's request
        // bodies, so every request completed in the same turn shares the batch.
        else scheduled ??= setImmediate(flush);
      });
    },
    flush,
    get pending() {
      return items.length;
    },
  };
}
