import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { connectionTurn } from '../http/connection-turn.js';
import type { RequestHandler } from '../http/handler.js';
import { createForwardHolds } from '../responders/hold.js';
import type { BinResponse } from '../store/types.js';
import { createBinCache } from './bin-cache.js';
import { readBody } from './body.js';
import { sendForwarded } from './forwarded.js';
import { remoteAddress } from './remote.js';
import {
  binNotFoundMessage,
  isPreflight,
  sendCustom,
  sendDefault,
  sendError,
  sendPreflight,
  STORE_UNAVAILABLE,
  tooLargeMessage,
} from './respond.js';
import { sendRuleAction, tryPlanRules, wait } from './rule-answer.js';
import { storeCapture, type Arrival } from './store-capture.js';
import { parseTarget } from './target.js';

function binNotFound(res: ServerResponse, binId: string): void {
  sendError(res, 404, 'bin_not_found', binNotFoundMessage(binId));
}

function tooLarge(res: ServerResponse, limit: number): void {
  // The rest of the body is never read: close the connection rather than drain it.
  sendError(res, 413, 'body_too_large', tooLargeMessage(limit), true);
}

/**
 * The capture hot path for ANY `/b/:bin[/*]`, on plain node:http: validate the bin, read the body
 * within the limit, recognize it, store it (the promise settles after the group commit), publish
 * `request.captured` (metadata: live viewers, long-polls), then answer. Nothing is acknowledged before it is committed.
 *
 * server.ts handles `Expect: 100-continue` itself for every route, so this part sends the
 * `100 Continue` only once it knows it will read the body.
 */
export function createCaptureHandler(context: Context): RequestHandler {
  const { store, bus, config } = context;
  const limit = config.bodyLimit;
  const bins = createBinCache(store, bus);
  const holds = createForwardHolds(context);

  async function capture(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = context.now();
    const target = parseTarget(req.url ?? '/');
    if (!target) {
      return sendError(
        res,
        400,
        'invalid_bin_id',
        'Capture URLs look like /b/<bin id>/…, where the bin id has 4 to 64 letters, digits, "-" or "_".',
      );
    }
    const bin = await bins.get(target.binId, receivedAt);
    if (!bin) return binNotFound(res, target.binId);

    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) return tooLarge(res, limit);
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    const read = await readBody(req, limit);
    if (read.kind === 'aborted') return; // The sender is gone: nothing to store or answer.
    if (read.kind === 'too_large') return tooLarge(res, limit);
    // Pipelined behind a request still being answered: store only once that answer has gone.
    if (!(await connectionTurn(req, res))) return;

    const arrival: Arrival = {
      receivedAt,
      method: req.method ?? 'GET',
      rawHeaders: req.rawHeaders,
      body: read.body,
      remoteAddress: remoteAddress(req, config.trustProxy),
    };
    const planned = isPreflight(req)
      ? undefined
      : await tryPlanRules(context, bin, target, arrival);
    if (planned === 'store_unavailable') {
      return sendError(res, 503, 'store_unavailable', STORE_UNAVAILABLE);
    }
    const outcome = await storeCapture(context, bin, target, planned?.arrival ?? arrival);
    if (outcome.kind === 'bin_not_found') return binNotFound(res, bin.id);
    if (outcome.kind === 'store_unavailable') {
      return sendError(res, 503, 'store_unavailable', STORE_UNAVAILABLE);
    }
    const requestId = outcome.request.id;

    if (isPreflight(req)) return sendPreflight(req, res, requestId);
    // A `tail --respond` forwarder's app answers instead, when there is one and it answers;
    // otherwise the bin's rules, then its default answer.
    const forwarded = await holds.answerFor(bin.id, requestId);
    if (forwarded) return sendForwarded(res, forwarded, requestId);
    const action = planned?.plan.action;
    if (action && action.kind !== 'default') {
      return sendRuleAction(req, res, action, requestId, context.signal);
    }
    const response: BinResponse | undefined = bin.response;
    if (!response) return sendDefault(res, requestId, bin.id);
    await wait(response.delayMs, context.signal, req.socket);
    if (!res.destroyed) sendCustom(res, response, requestId);
  }

  return (req, res) => {
    capture(req, res).catch((error: unknown) => {
      context.log(`capture: ${String(error)}`);
      sendError(
        res,
        500,
        'internal_error',
        'The server failed while capturing this request; see its log. Nothing may have been stored.',
      );
    });
  };
}
