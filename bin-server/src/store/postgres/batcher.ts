import { rejectAll, settleEach, type Settler } from '../settle.js';

/**
 * Group commit over the network: `submit` calls made while the previous batches are on their way
 * are written together by the next `write` (one transaction, one WAL flush, a handful of round
 * trips) instead of one transaction each. At most `maxInFlight` batches run at once; every
 * promise settles only after its batch committed (or failed).
 */
export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
  /** Resolves once everything submitted so far is written (close). */
  drain(): Promise<void>;
}

/**
 * `write` writes one batch in one transaction and resolves, per item, with its result or the
 * Error that item alone failed with; if it rejects, the whole batch failed.
 */
export function createBatcher<I, O>(
  write: (items: readonly I[]) => Promise<Array<O | Error>>,
  options: { maxBatch: number; maxInFlight: number },
): Batcher<I, O> {
  let items: I[] = [];
  let settlers: Array<Settler<O>> = [];
  let scheduled = false;
  let inFlight = 0;
  const idle: Array<() => void> = [];

  function schedule(): void {
    if (scheduled || items.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    // After the poll phase: every request body completed in this turn joins the batch.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (items.length === 0 || inFlight >= options.maxInFlight) return;
    const batch = items.slice(0, options.maxBatch);
    const waiting = settlers.slice(0, options.maxBatch);
    items = items.slice(batch.length);
    settlers = settlers.slice(batch.length);
    inFlight += 1;
    write(batch)
      .then(
        (results) => settleEach(waiting, results),
        (error: unknown) => rejectAll(waiting, error),
      )
      .finally(() => {
        inFlight -= 1;
        if (items.length > 0) schedule();
        else if (inFlight === 0) for (const done of idle.splice(0)) done();
      });
    schedule();
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        items.push(item);
        settlers.push({ resolve, reject });
        schedule();
      });
    },
    drain() {
      if (items.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
