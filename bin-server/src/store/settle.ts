/**
 * Settling the callers of a batched write (SQLite's group commit and write queue, PostgreSQL's
 * batcher): each caller waits on its own item, and the batch either wrote, item by item, or failed
 * whole.
 */
export interface Settler<O> {
  resolve(value: O): void;
  reject(error: Error): void;
}

/** What was thrown, as an Error (a driver may throw anything). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Settles each caller with its item's result: an Error rejects that caller alone. */
export function settleEach<O>(
  waiting: ReadonlyArray<Settler<O>>,
  results: ReadonlyArray<O | Error>,
): void {
  for (let i = 0; i < waiting.length; i++) {
    const result = results[i];
    if (result instanceof Error) waiting[i]!.reject(result);
    else waiting[i]!.resolve(result as O);
  }
}

/** Rejects every caller of a batch that failed whole (its transaction rolled back). */
export function rejectAll(
  waiting: ReadonlyArray<Pick<Settler<never>, 'reject'>>,
  error: unknown,
): void {
  const failure = toError(error);
  for (const w of waiting) w.reject(failure);
}
