import type { Router } from 'express';
import type { Context } from '../../context.js';
import { newBinId } from '../../store/bin-id.js';
import { BinExistsError } from '../../store/errors.js';
import type { BinPatch } from '../../store/types.js';
import { keptRequests, toBinJson } from '../../wire/bin.js';
import { binNotFound, HttpError, invalidRequest } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { loadBin, toBinResponse } from './load.js';
import { binPath, createBinInput, updateBinInput } from './schemas.js';

export function binRoutes(router: Router, context: Context): void {
  const { store, bus } = context;
  const serverMax = context.config.maxRequests;
  const json = (bin: Parameters<typeof toBinJson>[0]) =>
    toBinJson(bin, { baseUrl: context.baseUrl, ttlMs: context.config.ttl, maxRequests: serverMax });
  const checkLimit = (value: number | null | undefined) => {
    if (typeof value === 'number' && value > serverMax) {
      throw invalidRequest(
        'max_requests',
        `max_requests must be at most ${serverMax.toLocaleString('en-US')}, this server's --max-requests: ask for fewer, or restart the server with a larger --max-requests.`,
      );
    }
  };

  router.post('/bins', async (req, res) => {
    const input = parseInput(createBinInput, req.body ?? {}, 'body');
    checkLimit(input.max_requests);
    const id = input.id ?? newBinId();
    try {
      const bin = await store.bins.create({
        id,
        name: input.name ?? '',
        response: input.response ? toBinResponse(input.response) : undefined,
        signingSecret: input.signing_secret,
        maxRequests: input.max_requests,
        now: context.now(),
      });
      res.status(201).location(`/api/bins/${bin.id}`).json(json(bin));
    } catch (error) {
      if (error instanceof BinExistsError) {
        throw new HttpError(
          409,
          'bin_exists',
          `A bin "${id}" already exists: use it (GET /api/bins/${id}), choose another id, or omit "id" to get a generated one.`,
          'id',
        );
      }
      throw error;
    }
  });

  router.get('/bins', async (_req, res) => {
    // Listing is not using a bin: it does not refresh TTLs (a UI left open would keep all alive).
    const bins = await store.bins.list();
    res.json({ items: bins.map(json) });
  });

  router.get('/bins/:id', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    res.json(json(await loadBin(context, id)));
  });

  router.patch('/bins/:id', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    const input = parseInput(updateBinInput, req.body ?? {}, 'body');
    checkLimit(input.max_requests);
    const patch: BinPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.signing_secret !== undefined) patch.signingSecret = input.signing_secret;
    if (input.response !== undefined) {
      patch.response = input.response === null ? null : toBinResponse(input.response);
    }
    if (input.max_requests !== undefined) patch.maxRequests = input.max_requests;
    let bin = await store.bins.update(id, patch, context.now());
    if (!bin) throw binNotFound(id);
    // A lower limit applies now, not at the next capture: what the answer counts is what is kept.
    if (
      patch.maxRequests !== undefined &&
      (await store.requests.trim(id, keptRequests(bin, serverMax))) > 0
    ) {
      bin = (await store.bins.get(id)) ?? bin;
    }
    bus.publish({ type: 'bin.changed', bin: bin.id, record: bin });
    res.json(json(bin));
  });

  router.delete('/bins/:id', async (req, res) => {
    const { id } = parseInput(binPath, req.params, 'path');
    if (!(await store.bins.delete(id))) throw binNotFound(id);
    bus.publish({ type: 'bin.deleted', bin: id });
    res.status(204).end();
  });
}
