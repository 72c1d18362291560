import { buildReplay, sendReplay } from '@umhooks/core';
import type { RequestJson } from '../wire/request.js';

export type ForwardResult =
  { ok: true; status: number; ms: number } | { ok: false; error: string; ms: number };

/**
 * Sends the captured request on to `target` (its path and query below the bin appended) with
 * core's replay: same method, end-to-end headers and exact body bytes.
 */
export async function forward(
  target: URL,
  request: RequestJson,
): Promise<{ url: string; result: ForwardResult }> {
  const sent = buildReplay(target, {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: Buffer.from(request.body_base64, 'base64'),
  });
  const attempt = await sendReplay(sent);
  const ms = attempt.durationMs;
  const result: ForwardResult =
    attempt.status !== undefined
      ? { ok: true, status: attempt.status, ms }
      : { ok: false, error: attempt.error?.code ?? attempt.error?.message ?? 'no answer', ms };
  return { url: sent.url, result };
}
