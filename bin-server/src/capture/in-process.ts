import type { Context } from '../context.js';
import type { LocalCapture } from '../outbound/types.js';
import { createForwardHolds } from '../responders/hold.js';
import { createBinCache } from './bin-cache.js';
import { forwardedAnswer } from './forwarded.js';
import {
  binNotFoundMessage,
  customAnswer,
  defaultAnswer,
  jsonAnswer,
  preflightAnswer,
  STORE_UNAVAILABLE,
  tooLargeMessage,
} from './respond.js';
import { ruleAnswer, tryPlanRules, wait } from './rule-answer.js';
import { storeCapture, type Arrival } from './store-capture.js';
import { parseTarget } from './target.js';

/** The address recorded as the sender: this server itself, as if over loopback. */
const SELF = '127.0.0.1';

/**
 * Captures a request this server sends to one of its own bins without a network round trip
 * (sandbox deliveries, replays): stored and published exactly as the HTTP capture handler does,
 * and answered with the bin's configured answer (its delay too, unless `signal` ends it), or by
 * its `tail --respond` forwarder's app.
 */
export function createInProcessCapture(context: Context): LocalCapture {
  const bins = createBinCache(context.store, context.bus);
  const holds = createForwardHolds(context);
  const limit = context.config.bodyLimit;
  return async (request, signal) => {
    const receivedAt = context.now();
    const target = parseTarget(request.path);
    const error = (status: number, code: string, message: string) =>
      jsonAnswer(status, { error: code, message });
    if (!target) {
      return error(400, 'invalid_bin_id', 'Capture URLs look like /b/<bin id>/….');
    }
    const bin = await bins.get(target.binId, receivedAt);
    if (!bin) return error(404, 'bin_not_found', binNotFoundMessage(target.binId));
    if (request.body.length > limit) return error(413, 'body_too_large', tooLargeMessage(limit));
    const header = (name: string) =>
      request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
    const askedMethod = header('access-control-request-method');
    const preflight = request.method === 'OPTIONS' && askedMethod !== undefined;
    const arrival: Arrival = {
      receivedAt,
      method: request.method,
      rawHeaders: request.headers.flat(),
      body: Buffer.from(request.body),
      remoteAddress: SELF,
    };
    const planned = preflight ? undefined : await tryPlanRules(context, bin, target, arrival);
    if (planned === 'store_unavailable') return error(503, 'store_unavailable', STORE_UNAVAILABLE);
    const outcome = await storeCapture(context, bin, target, planned?.arrival ?? arrival);
    if (outcome.kind === 'bin_not_found') {
      return error(404, 'bin_not_found', binNotFoundMessage(bin.id));
    }
    if (outcome.kind === 'store_unavailable') {
      return error(503, 'store_unavailable', STORE_UNAVAILABLE);
    }
    const requestId = outcome.request.id;
    if (preflight) {
      return preflightAnswer(askedMethod, header('access-control-request-headers'), requestId);
    }
    // As over HTTP: a `tail --respond` forwarder's app answers instead, when it does; otherwise
    // the bin's rules, then its default answer.
    const forwarded = await holds.answerFor(bin.id, requestId);
    if (forwarded) return forwardedAnswer(forwarded, requestId);
    const action = planned?.plan.action;
    if (action && action.kind !== 'default') return ruleAnswer(action, requestId, signal);
    if (!bin.response) return defaultAnswer(requestId, bin.id);
    await wait(bin.response.delayMs, signal);
    return customAnswer(bin.response, requestId);
  };
}
