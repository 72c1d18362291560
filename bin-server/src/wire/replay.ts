import { z } from 'zod';
import type { StoredReplay } from '../store/types.js';
import { headerPair, isoDate } from './fields.js';
import { requestForwardJson } from './forward.js';
import { requestJson } from './request.js';
import { attemptJson, sandboxSourceJson } from './sandbox.js';

// A replay as the API, the UI and the CLI see it: the sandbox attempt's shape (what was sent,
// what came back, the same bounds), with the bytes sent and what the edits did to signatures.

/**
 * Headers that carry a signature over the body (Standard Webhooks and Svix, Stripe, GitHub,
 * Shopify and the common `x-…-signature` ones): an edited body no longer matches them.
 */
const SIGNATURE_HEADER = /^(webhook|svix|stripe)-signature$|^x-(.+-)?(signature|hmac)(-.+)?$/i;

export const replayEditsJson = z
  .object({
    method: z.boolean(),
    path: z.boolean(),
    headers: z.boolean(),
    body: z.boolean(),
  })
  .describe('What was changed before sending (true: differs from the captured request).');

export const replaySignatureJson = z
  .object({
    headers: z.array(z.string()).describe('The signature headers sent, e.g. `webhook-signature`.'),
    matches: z
      .boolean()
      .describe(
        'False when the body was edited: the signatures were computed over the captured bytes.',
      ),
    message: z.string(),
  })
  .describe('Null when the request carried no signature header.');

const sent = attemptJson.shape.request;

export const replayJson = attemptJson
  .pick({
    started_at: true,
    duration_ms: true,
    status: true,
    response_headers: true,
    response_body: true,
    response_truncated: true,
    error: true,
  })
  .extend({
    id: z.string().describe('`rpl_…`'),
    bin_id: z.string(),
    request_id: z.string().describe('The captured request that was replayed.'),
    created_at: isoDate,
    request: z.object({
      method: sent.shape.method,
      url: sent.shape.url,
      headers: z.array(headerPair).describe('Exactly the header lines sent, in order.'),
      body_base64: z.string().describe('Exactly the body bytes sent, base64.'),
      body_text: z.string().nullable().describe('The body sent as text when UTF-8, else null.'),
    }),
    edited: replayEditsJson,
    signature: replaySignatureJson.nullable(),
  });
export type ReplayJson = z.output<typeof replayJson>;

export const replayListJson = z.object({
  items: z.array(replayJson).describe('Newest first.'),
});

/** GET one request: the request and its replays (newest first). */
export const requestWithReplaysJson = requestJson.extend({
  replays: z.array(replayJson).describe('Its replays, newest first (deleted with it).'),
  forward: requestForwardJson.nullable(),
  sandbox: sandboxSourceJson
    .nullable()
    .describe('The sandbox webhook of this server that sent it; null when none did.'),
});
export type RequestWithReplaysJson = z.output<typeof requestWithReplaysJson>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function signatureOf(replay: StoredReplay): ReplayJson['signature'] {
  const headers = replay.attempt.request.headers
    .map(([name]) => name)
    .filter((name) => SIGNATURE_HEADER.test(name));
  if (headers.length === 0) return null;
  const names = headers.join(', ');
  const one = headers.length === 1;
  if (replay.edited.body) {
    return {
      headers,
      matches: false,
      message: `The body was edited: ${names} still ${one ? 'signs' : 'sign'} the captured bytes and will not verify at the target.`,
    };
  }
  return {
    headers,
    matches: true,
    message: `The captured bytes were sent: ${names} ${one ? 'verifies' : 'verify'} at a target with the same secret (a signed timestamp may be older than its tolerance, usually 5 minutes).`,
  };
}

export function toReplayJson(replay: StoredReplay): ReplayJson {
  const { attempt } = replay;
  const body = attempt.request.body;
  return {
    id: replay.id,
    bin_id: replay.binId,
    request_id: replay.requestId,
    created_at: new Date(replay.createdAt).toISOString(),
    started_at: attempt.startedAt,
    duration_ms: attempt.durationMs,
    request: {
      method: attempt.request.method,
      url: attempt.request.url,
      headers: attempt.request.headers,
      body_base64: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
      body_text: textOf(body),
    },
    status: attempt.status ?? null,
    response_headers: attempt.responseHeaders ?? null,
    response_body: attempt.responseBody ?? null,
    response_truncated: attempt.responseTruncated ?? false,
    error: attempt.error ? { kind: attempt.error.kind, message: attempt.error.message } : null,
    edited: replay.edited,
    signature: signatureOf(replay),
  };
}
