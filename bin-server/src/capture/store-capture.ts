import type { Context } from '../context.js';
import { contentTypeOf } from '../store/columns.js';
import { BinNotFoundError } from '../store/errors.js';
import type { Bin, CapturedRequest } from '../store/types.js';
import { keptRequests } from '../wire/bin.js';
import { summarize } from '../wire/request.js';
import { checkSignature } from '../wire/signature.js';
import { recognize } from './recognize.js';
import { newRequestId } from './request-id.js';
import type { CaptureTarget } from './target.js';

/** What arrived at a capture URL, however it arrived (over HTTP, or in process). */
export interface Arrival {
  receivedAt: number;
  method: string;
  rawHeaders: string[];
  body: Buffer;
  remoteAddress: string;
}

export type StoreOutcome =
  | { kind: 'stored'; request: CapturedRequest }
  | { kind: 'bin_not_found' }
  | { kind: 'store_unavailable' };

/**
 * Stores a captured request (the promise settles after the group commit) and publishes
 * `request.captured` (metadata: live viewers, long-polls). Nothing is acknowledged before it is
 * committed.
 */
export async function storeCapture(
  context: Context,
  bin: Bin,
  target: CaptureTarget,
  arrival: Arrival,
): Promise<StoreOutcome> {
  let stored: CapturedRequest;
  try {
    stored = await context.store.requests.insert(
      {
        id: newRequestId(arrival.receivedAt),
        binId: bin.id,
        receivedAt: arrival.receivedAt,
        method: arrival.method,
        path: target.path,
        query: target.query,
        rawHeaders: arrival.rawHeaders,
        body: arrival.body,
        remoteAddress: arrival.remoteAddress,
        recognition: recognize(arrival.body, target.lastSegment, contentTypeOf(arrival.rawHeaders)),
      },
      keptRequests(bin, context.config.maxRequests),
    );
  } catch (error) {
    if (error instanceof BinNotFoundError) return { kind: 'bin_not_found' };
    context.log(`capture: could not store a request for bin ${bin.id}: ${String(error)}`);
    return { kind: 'store_unavailable' };
  }
  context.bus.publish({
    type: 'request.captured',
    bin: bin.id,
    request: summarize(stored),
    ...(bin.signingSecret !== undefined && {
      signature: checkSignature(stored, bin.signingSecret),
    }),
  });
  return { kind: 'stored', request: stored };
}
