import type { Router } from 'express';
import type { Context } from '../../context.js';
import type { RequestSummary } from '../../store/types.js';
import {
  toRequestJson,
  toRequestSummaryJson,
  type RequestJson,
  type RequestSummaryJson,
} from '../../wire/request.js';
import { toRequestForwardJson } from '../../wire/forward.js';
import { toReplayJson } from '../../wire/replay.js';
import { toSandboxSourceJson } from '../../wire/sandbox.js';
import { sandboxSourceOf } from '../../sandbox/source.js';
import { checkSignatureLazily, type SignatureJson } from '../../wire/signature.js';
import { binPath } from '../bins/schemas.js';
import { loadBin } from '../bins/load.js';
import { requestNotFound } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { answerLatest } from './latest.js';
import { isTrue, latestQuery, listQuery, orUndefined, requestPath } from './schemas.js';

/**
 * Body bytes one page carries at most (at least one request is always included): 500 requests
 * of 10 MiB each must not become one multi-gigabyte JSON answer. A page cut short has a cursor.
 */
export const PAGE_BODY_BUDGET = 8 * 1024 * 1024;

export function requestRoutes(router: Router, context: Context): void {
  const { store, bus } = context;

  router.get('/bins/:id/requests', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const query = parseInput(listQuery, req.query, 'query');
    const bin = await loadBin(context, id);
    const page = await store.requests.list(bin.id, {
      before:
        query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
      includeBody: false,
      q: orUndefined(query.q),
      method: orUndefined(query.method),
      event: orUndefined(query.event),
    });
    let next = page.nextBefore;
    let items: Array<RequestJson | RequestSummaryJson>;
    if (!isTrue(query.include_body, true)) {
      const secret = bin.signingSecret;
      items = [];
      // Verdicts read the bodies of signed requests only, within the page's byte budget.
      let bytes = 0;
      for (const summary of page.items as RequestSummary[]) {
        let signature: SignatureJson | null = null;
        if (secret !== undefined) {
          if (items.length > 0 && bytes + summary.size > PAGE_BODY_BUDGET) {
            next = items[items.length - 1]!.seq;
            break;
          }
          const checked = await checkSignatureLazily(summary, secret, async () => {
            bytes += summary.size;
            return (await store.requests.get(bin.id, summary.id))?.body;
          });
          if (!checked) continue; // Deleted meanwhile.
          signature = checked;
        }
        items.push(toRequestSummaryJson(summary, signature));
      }
    } else {
      // Bodies are read one by one within a byte budget, so a page never holds more than that.
      items = [];
      let bytes = 0;
      for (const summary of page.items) {
        if (items.length > 0 && bytes + summary.size > PAGE_BODY_BUDGET) {
          next = items[items.length - 1]!.seq;
          break;
        }
        const full = await store.requests.get(bin.id, summary.id);
        if (!full) continue; // Deleted meanwhile.
        items.push(toRequestJson(full, bin.signingSecret));
        bytes += full.body.byteLength;
      }
    }
    res.json({ items, next_cursor: next === undefined ? null : encodeCursor(next) });
  });

  // Before `/:rid`, which would otherwise take "latest" for a request id.
  router.get('/bins/:id/requests/latest', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const { wait, after } = parseInput(latestQuery, req.query, 'query');
    await answerLatest(context, res, id, wait ?? 0, after);
  });

  router.get('/bins/:id/requests/:rid', async (req, res) => {
    const { id, rid } = parseInput(requestPath, req.params, 'path');
    const bin = await loadBin(context, id);
    const request = await store.requests.get(bin.id, rid);
    if (!request) throw requestNotFound(bin.id, rid);
    const [replays, forward, source] = await Promise.all([
      store.replays.list(bin.id, rid),
      store.forwards.get(bin.id, rid),
      sandboxSourceOf(store, bin.id, request),
    ]);
    res.json({
      ...toRequestJson(request, bin.signingSecret),
      replays: replays.map(toReplayJson),
      forward: forward ? toRequestForwardJson(forward) : null,
      sandbox: source
        ? toSandboxSourceJson(source.webhook, source.deliveryId, bin.signingSecret)
        : null,
    });
  });

  router.delete('/bins/:id/requests/:rid', async (req, res) => {
    const { id, rid } = parseInput(requestPath, req.params, 'path');
    const bin = await loadBin(context, id);
    if (!(await store.requests.delete(bin.id, rid))) throw requestNotFound(bin.id, rid);
    bus.publish({ type: 'request.deleted', bin: bin.id, id: rid });
    res.status(204).end();
  });

  router.delete('/bins/:id/requests', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const bin = await loadBin(context, id);
    await store.requests.clear(bin.id);
    bus.publish({ type: 'requests.cleared', bin: bin.id });
    res.status(204).end();
  });
}
