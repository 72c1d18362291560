import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { connectionTurn } from '../http/connection-turn.js';
import type { RequestHandler } from '../http/handler.js';
import { BinNotFoundError } from '../store/errors.js';
import type { BinResponse } from '../store/types.js';
import { summarize } from '../wire/request.js';
import { createBinCache } from './bin-cache.js';
import { readBody } from './body.js';
import { recognize } from './recognize.js';
import { remoteAddress } from './remote.js';
import { newRequestId } from './request-id.js';
import { isPreflight, sendCustom, sendDefault, sendError, sendPreflight } from './respond.js';
import { parseTarget } from './target.js';

function binNotFound(res: ServerResponse, binId: string): void {
  sendError(
    res,
    404,
    'bin_not_found',
    `No bin "${binId}" here. Create one in the UI or with POST /api/bins {"id":"${binId}"}.`,
  );
}

function tooLarge(res: ServerResponse, limit: number): void {
  // The rest of the body is never read: close the connection rather than drain it.
  sendError(
    res,
    413,
    'body_too_large',
    `The body is larger than this server's limit of ${limit} bytes; nothing was stored. Send less, or restart the server with a larger --body-limit.`,
    true,
  );
}

/** Waits `ms`, or less if the server starts closing or the sender goes away. */
function delay(ms: number, signal: AbortSignal, req: IncomingMessage): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      req.socket.off('close', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish);
    req.socket.on('close', finish);
  });
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

    const requestId = newRequestId(receivedAt);
    let stored;
    try {
      stored = await store.requests.insert(
        {
          id: requestId,
          binId: bin.id,
          receivedAt,
          method: req.method ?? 'GET',
          path: target.path,
          query: target.query,
          rawHeaders: req.rawHeaders,
          body: read.body,
          remoteAddress: remoteAddress(req, config.trustProxy),
          recognition: recognize(read.body, target.lastSegment),
        },
        config.maxRequests,
      );
    } catch (error) {
      if (error instanceof BinNotFoundError) return binNotFound(res, bin.id);
      context.log(`capture: could not store a request for bin ${bin.id}: ${String(error)}`);
      return sendError(
        res,
        503,
        'store_unavailable',
        'The request could not be stored, so it was not captured. Retry; if it keeps failing, check the server log and the data file.',
      );
    }
    bus.publish({ type: 'request.captured', bin: bin.id, request: summarize(stored) });

    if (isPreflight(req)) return sendPreflight(req, res, requestId);
    const response: BinResponse | undefined = bin.response;
    if (!response) return sendDefault(res, requestId, bin.id);
    await delay(response.delayMs, context.signal, req);
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
