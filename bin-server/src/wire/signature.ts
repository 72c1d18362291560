import { verify, WebhookVerificationError, type VerificationFailure } from '@umhooks/core';
import { z } from 'zod';
import type { CapturedRequest } from '../store/types.js';

// core's reasons (checkSignature assigns core's to this list, so none can be missing).
const failures = [
  'missing-header',
  'bad-timestamp',
  'too-old',
  'too-new',
  'no-signature',
  'no-match',
] as const satisfies readonly VerificationFailure[];

/** A captured request checked against its bin's Standard Webhooks secret. */
export const signatureJson = z.object({
  valid: z.boolean(),
  reason: z.enum(failures).nullable().describe('Why it does not verify; null when it does.'),
  message: z.string(),
});
export type SignatureJson = z.output<typeof signatureJson>;

/**
 * Checks the request's `webhook-*` (or `svix-*`) headers and exact body bytes against `secret`,
 * as of its arrival: the timestamp tolerance (5 minutes) applies to when it came, so a request
 * read days later still shows what its receiver would have decided.
 */
export function checkSignature(request: CapturedRequest, secret: string): SignatureJson {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    // A repeated signature header adds signatures (the header's own separator is a space).
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]} ${raw[i + 1]}`;
  }
  try {
    const { id } = verify({
      secret,
      headers,
      body: request.body,
      now: Math.floor(request.receivedAt / 1000),
    });
    return { valid: true, reason: null, message: `Signed with this bin's secret (message ${id}).` };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return { valid: false, reason: error.reason, message: error.message };
    }
    throw error;
  }
}
