import type { Context } from '../context.js';
import type { ForwardAnswer, StoredForward } from '../store/types.js';
import { createResponderDirectory } from './directory.js';

export interface ForwardHolds {
  /**
   * Called once a captured request is stored: while a `tail --respond` forwarder answers for the
   * bin, holds the request until the app's answer comes back through it (from any instance), and
   * returns that answer. Undefined when the bin answers as configured: no forwarder, or it was
   * too slow, went away or failed (the reason is recorded with the request).
   */
  answerFor(binId: string, requestId: string): Promise<ForwardAnswer | undefined>;
}

export function createForwardHolds(context: Context): ForwardHolds {
  const { store, bus } = context;
  const directory = createResponderDirectory(store, bus);

  /** Waits until `request`'s hold settles (an event, or `missed`: look), the timeout or a stop. */
  function waitForSettled(binId: string, requestId: string, timeoutMs: number) {
    let unsubscribe = () => {};
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const ended = new Promise<'event' | 'timeout' | 'stopping'>((resolve) => {
      unsubscribe = bus.subscribe(`bin:${binId}`, (event) => {
        if (event.type === 'forward.settled' && event.request === requestId) resolve('event');
        // Something on the bin may not have reached this instance: the store says.
        if (event.type === 'missed') resolve('event');
      });
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      onAbort = () => resolve('stopping');
      context.signal.addEventListener('abort', onAbort);
    });
    const stop = () => {
      unsubscribe();
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
    };
    return { ended, stop };
  }

  async function settleWithout(
    binId: string,
    requestId: string,
    outcome: 'timed_out' | 'failed',
    reason: string,
  ): Promise<StoredForward | undefined> {
    const at = context.now();
    if (await store.forwards.settle(binId, requestId, { outcome, at, reason })) {
      bus.publish({
        type: 'forward.settled',
        bin: binId,
        request: requestId,
        outcome,
        status: null,
      });
      return undefined;
    }
    // Settled first by the forwarder (its answer raced the timeout): that stands.
    return store.forwards.get(binId, requestId);
  }

  async function hold(binId: string, requestId: string): Promise<ForwardAnswer | undefined> {
    const holder = await directory.get(binId, context.now());
    if (!holder || context.signal.aborted) return undefined;
    const { owner, timeoutMs } = holder;
    const heldAt = context.now();
    // Listening before the forwarder can hear of it: its answer cannot arrive unseen.
    let wait = waitForSettled(binId, requestId, timeoutMs);
    try {
      if (!(await store.forwards.hold({ binId, requestId, heldAt, timeoutMs }))) return undefined;
      bus.publish({ type: 'forward.held', bin: binId, request: requestId, owner, timeoutMs });
      for (;;) {
        const why = await wait.ended;
        let found: StoredForward | undefined;
        if (why === 'timeout') {
          found = await settleWithout(
            binId,
            requestId,
            'timed_out',
            `the forwarder did not answer within ${timeoutMs} ms`,
          );
        } else if (why === 'stopping') {
          found = await settleWithout(binId, requestId, 'failed', 'the server was stopping');
        } else {
          found = await store.forwards.get(binId, requestId);
          if (found?.outcome === 'pending') {
            // A `missed` notice about something else: keep waiting (a fresh wait, same deadline).
            wait.stop();
            const left = heldAt + timeoutMs - context.now();
            wait = waitForSettled(binId, requestId, Math.max(0, left));
            continue;
          }
        }
        return found?.outcome === 'answered' ? found.answer : undefined;
      }
    } finally {
      wait.stop();
    }
  }

  return {
    async answerFor(binId, requestId) {
      try {
        return await hold(binId, requestId);
      } catch (error) {
        // The store failed: the sender still gets the bin's own answer, without waiting longer.
        context.log(`forward: could not hold ${requestId} for bin ${binId}: ${String(error)}`);
        return undefined;
      }
    },
  };
}
