import type { Router } from 'express';
import type { Context } from '../../context.js';
import { replayRequest, type ReplayChanges } from '../../replay/replay.js';
import { toReplayJson } from '../../wire/replay.js';
import { loadBin } from '../bins/load.js';
import { requestNotFound } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { requestPath } from '../requests/schemas.js';
import { replayInput, type ReplayInput } from './schemas.js';

function changesOf(input: ReplayInput): ReplayChanges {
  const changes: ReplayChanges = {};
  if (input.method !== undefined) changes.method = input.method;
  if (input.path !== undefined) changes.path = input.path;
  if (input.headers !== undefined) changes.headers = input.headers;
  if (input.body !== undefined) changes.body = Buffer.from(input.body, input.body_encoding);
  return changes;
}

export function replayRoutes(router: Router, context: Context): void {
  const { store } = context;

  router.post('/bins/:id/requests/:rid/replay', async (req, res) => {
    const { id, rid } = parseInput(requestPath, req.params, 'path');
    const input = parseInput(replayInput, req.body ?? {}, 'body');
    const bin = await loadBin(context, id);
    const request = await store.requests.get(bin.id, rid);
    if (!request) throw requestNotFound(bin.id, rid);
    const { replay } = await replayRequest(context, request, new URL(input.url), changesOf(input));
    res.status(201).json(toReplayJson(replay));
  });

  router.get('/bins/:id/requests/:rid/replays', async (req, res) => {
    const { id, rid } = parseInput(requestPath, req.params, 'path');
    const bin = await loadBin(context, id);
    const replays = await store.replays.list(bin.id, rid);
    // An unknown request has no replays, but says so rather than answering an empty list.
    if (replays.length === 0 && !(await store.requests.get(bin.id, rid))) {
      throw requestNotFound(bin.id, rid);
    }
    res.json({ items: replays.map(toReplayJson) });
  });
}
