import { z } from 'zod';
import type { StoredForward } from '../store/types.js';
import { headerPair, isoDate } from './fields.js';

// How a request held for a `tail --respond` forwarder ended, as the API and the UI show it.

export const requestForwardJson = z
  .object({
    outcome: z
      .enum(['pending', 'answered', 'timed_out', 'gone', 'failed'])
      .describe(
        "`answered`: the app's answer went to the sender. Otherwise the bin answered as configured: the forwarder was too slow (`timed_out`), disconnected (`gone`) or reported an error (`failed`); `pending`: still held.",
      ),
    held_at: isoDate,
    settled_at: isoDate.nullable(),
    timeout_ms: z.number().int().describe('How long the bin would wait for the forwarder.'),
    app_ms: z
      .number()
      .int()
      .nullable()
      .describe('How long the app took, as the forwarder measured it.'),
    reason: z.string().nullable().describe('Why the app’s answer was not sent; null if it was.'),
    status: z.number().int().nullable().describe('The app’s status, when it answered.'),
    headers: z
      .array(headerPair)
      .describe('The app’s header lines passed on (hop-by-hop ones dropped); [] if none.'),
    body_base64: z.string().nullable().describe('The app’s body as sent to the sender, base64.'),
  })
  .describe(
    'Two-way forwarding (`umhooks tail --forward <url> --respond`): how the bin’s wait for the forwarder ended. Null when no forwarder answered for the bin.',
  );
export type RequestForwardJson = z.output<typeof requestForwardJson>;

const iso = (ms: number) => new Date(ms).toISOString();

export function toRequestForwardJson(forward: StoredForward): RequestForwardJson {
  const { answer } = forward;
  return {
    outcome: forward.outcome,
    held_at: iso(forward.heldAt),
    settled_at: forward.settledAt === undefined ? null : iso(forward.settledAt),
    timeout_ms: forward.timeoutMs,
    app_ms: forward.appMs ?? null,
    reason: forward.reason ?? null,
    status: answer?.status ?? null,
    headers: answer?.headers ?? [],
    body_base64: answer ? Buffer.from(answer.body).toString('base64') : null,
  };
}
