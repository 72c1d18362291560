import { buildReplay, replayAttempt, type CapturedHttpRequest } from '@umhooks/core';
import { nanoid } from 'nanoid';
import type { Context } from '../context.js';
import type { CapturedRequest, ReplayEdits, StoredReplay } from '../store/types.js';

/** A request keeps its newest replays only (each holds up to 64 KiB of answer). */
const MAX_REPLAYS_PER_REQUEST = 50;

/** Changes to make before sending; what is absent is sent as captured. */
export interface ReplayChanges {
  method?: string;
  /** Path (and query) below the target, replacing the captured ones: `/orders/7?x=1`. */
  path?: string;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
}

function pairsOf(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** The request to send and what differs from the captured one (a change to the same is none). */
function applyChanges(
  request: CapturedRequest,
  changes: ReplayChanges,
): { captured: CapturedHttpRequest; edited: ReplayEdits } {
  const headers = pairsOf(request.rawHeaders);
  const [path, query] =
    changes.path === undefined
      ? [request.path, request.query]
      : [changes.path.split('?')[0]!, changes.path.split('?').slice(1).join('?')];
  const captured: CapturedHttpRequest = {
    method: changes.method ?? request.method,
    path,
    query,
    headers: changes.headers ?? headers,
    body: changes.body ?? request.body,
  };
  const edited: ReplayEdits = {
    method: captured.method !== request.method,
    path: path !== request.path || query !== request.query,
    headers: JSON.stringify(captured.headers) !== JSON.stringify(headers),
    body: !sameBytes(captured.body, request.body),
  };
  return { captured, edited };
}

/** `rpl_` + 22 of nanoid's characters (132 random bits): unguessable, like bin ids. */
function newReplayId(): string {
  return `rpl_${nanoid(22)}`;
}

/**
 * Sends a stored request again to `target` (with `changes`) through the server's one way out,
 * records the attempt with the request and tells live viewers. Network problems are recorded in
 * the attempt; `recorded` is false when the request went away while it was being sent.
 */
export async function replayRequest(
  context: Context,
  request: CapturedRequest,
  target: URL,
  changes: ReplayChanges = {},
): Promise<{ replay: StoredReplay; recorded: boolean }> {
  const { captured, edited } = applyChanges(request, changes);
  const sent = buildReplay(target, captured);
  // The server's one way out: `--outbound public` refuses private targets there.
  const result = await context.outbound.send(sent, { signal: context.signal });
  const attempt = replayAttempt({ ...sent, headers: result.sentHeaders }, result, {
    startedAt: result.startedAt,
    durationMs: result.durationMs,
  });
  const replay: StoredReplay = {
    id: newReplayId(),
    binId: request.binId,
    requestId: request.id,
    createdAt: context.now(),
    edited,
    attempt,
  };
  const recorded = await context.store.replays.record(replay, MAX_REPLAYS_PER_REQUEST);
  if (recorded) {
    context.bus.publish({
      type: 'request.replayed',
      bin: request.binId,
      request: request.id,
      id: replay.id,
      status: attempt.status ?? null,
    });
  }
  return { replay, recorded };
}
