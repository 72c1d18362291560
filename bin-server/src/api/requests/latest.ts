import type { Response } from 'express';
import type { Context } from '../../context.js';
import { toRequestJson } from '../../wire/request.js';
import { loadBin } from '../bins/load.js';
import { binNotFound, requestNotFound } from '../http/errors.js';
import { watchBin } from './wait.js';

/**
 * `GET …/requests/latest`: the newest request newer than a threshold, waiting for one up to
 * `waitSeconds` (long-poll). The threshold is `after`'s position, or without `after` the last
 * position at the time of the call when waiting (so only a new arrival answers), else nothing.
 */
export async function answerLatest(
  context: Context,
  res: Response,
  binId: string,
  waitSeconds: number,
  after: string | undefined,
): Promise<void> {
  const { store, bus } = context;
  const bin = await loadBin(context, binId);
  // Listen first, then read: a request stored in between wakes the wait at once.
  const waiter = watchBin(bus, bin.id);
  // Ends the wait when the client goes or the server stops. Not AbortSignal.any: Node 20 keeps a
  // reference to every combined signal in the long-lived server signal.
  const stop = new AbortController();
  let clientGone = false;
  const onClose = () => {
    clientGone = true;
    stop.abort();
  };
  res.on('close', onClose);
  const onStopping = () => stop.abort();
  context.signal.addEventListener('abort', onStopping);
  if (context.signal.aborted) stop.abort(); // stopping already: no event will come
  try {
    let threshold = waitSeconds > 0 ? bin.requestCount : 0;
    if (after !== undefined) {
      const seen = await store.requests.get(bin.id, after);
      if (!seen) throw requestNotFound(bin.id, after);
      threshold = seen.seq;
    }
    const newest = async () => {
      const page = await store.requests.list(bin.id, { limit: 1, includeBody: false });
      const summary = page.items[0];
      if (!summary || summary.seq <= threshold) return undefined;
      return store.requests.get(bin.id, summary.id);
    };
    const deadline = performance.now() + waitSeconds * 1000;
    for (;;) {
      const found = await newest();
      if (found) {
        res.json(toRequestJson(found, bin.signingSecret));
        return;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      const outcome = await waiter.next(remaining, stop.signal);
      if (outcome === 'bin.deleted') throw binNotFound(bin.id);
      if (outcome === 'aborted') break;
      // On 'timeout' the loop looks once more, then ends (the deadline has passed).
    }
    // Nothing new in time (or the server is stopping): 204, and the client asks again.
    if (!res.writableEnded && !clientGone) res.status(204).end();
  } finally {
    res.off('close', onClose);
    context.signal.removeEventListener('abort', onStopping);
    waiter.close();
  }
}
