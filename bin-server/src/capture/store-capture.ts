import type { Context } from '../context.js';
import { contentTypeOf } from '../store/columns.js';
import { BinNotFoundError } from '../store/errors.js';
import type { AnswerRecord, Bin, CapturedRequest, Recognition } from '../store/types.js';
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
  /** The id to store it under (rules render it before storing); default: a new one. */
  id?: string | undefined;
  /** How the bin's rules answer it (stored with it); undefined when the bin has none. */
  answer?: AnswerRecord | undefined;
  /** Its recognition, when the rules already needed it; recognised when stored otherwise. */
  recognition?: Recognition | undefined;
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
  // Recognition, the row and the live summary all need it: found once.
  const contentType = contentTypeOf(arrival.rawHeaders);
  try {
    stored = await context.store.requests.insert(
      {
        id: arrival.id ?? newRequestId(arrival.receivedAt),
        binId: bin.id,
        receivedAt: arrival.receivedAt,
        method: arrival.method,
        path: target.path,
        query: target.query,
        rawHeaders: arrival.rawHeaders,
        body: arrival.body,
        remoteAddress: arrival.remoteAddress,
        contentType,
        recognition:
          arrival.recognition ?? recognize(arrival.body, target.lastSegment, contentType),
        answer: arrival.answer,
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
    request: summarize(stored, contentType),
    ...(bin.signingSecret !== undefined && {
      signature: checkSignature(stored, bin.signingSecret),
    }),
  });
  return { kind: 'stored', request: stored };
}
