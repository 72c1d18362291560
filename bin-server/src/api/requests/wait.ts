import type { Bus } from '../../bus/types.js';

type WaitOutcome = 'request' | 'bin.deleted' | 'timeout' | 'aborted';

export interface BinWaiter {
  /**
   * Resolves at the first `request.captured` (or `bin.deleted`) event for the bin since the previous
   * call, or when `ms` pass, or when `signal` aborts. Events that arrived between calls are
   * not lost: the next call returns at once.
   */
  next(ms: number, signal: AbortSignal): Promise<WaitOutcome>;
  close(): void;
}

/** Subscribe before reading the store, so nothing captured in between goes unnoticed. */
export function watchBin(bus: Bus, binId: string): BinWaiter {
  let pending: WaitOutcome | undefined;
  let wake: ((outcome: WaitOutcome) => void) | undefined;
  const unsubscribe = bus.subscribe(`bin:${binId}`, (event) => {
    let outcome: WaitOutcome;
    if (event.type === 'bin.deleted') outcome = 'bin.deleted';
    // A notice from another instance (scale-out bus) may stand for a request: look again.
    else if (event.type === 'request.captured' || event.type === 'missed') outcome = 'request';
    else return;
    // A deleted bin outranks any request seen before it.
    if (pending !== 'bin.deleted') pending = outcome;
    wake?.(pending);
  });
  return {
    next(ms, signal) {
      if (pending !== undefined) {
        const outcome = pending;
        pending = undefined;
        return Promise.resolve(outcome);
      }
      if (signal.aborted) return Promise.resolve('aborted');
      return new Promise((resolve) => {
        const finish = (outcome: WaitOutcome) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          wake = undefined;
          pending = undefined;
          resolve(outcome);
        };
        const onAbort = () => finish('aborted');
        const timer = setTimeout(() => finish('timeout'), ms);
        signal.addEventListener('abort', onAbort);
        wake = finish;
      });
    },
    close() {
      wake = undefined;
      unsubscribe();
    },
  };
}
