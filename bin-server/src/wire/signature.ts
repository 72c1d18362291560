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

/** What a check reads: the header lines, the exact body and when it arrived. */
type Checked = Pick<CapturedRequest, 'rawHeaders' | 'body' | 'receivedAt'>;

/**
 * Checks the request's `webhook-*` (or `svix-*`) headers and exact body bytes against `secret`,
 * as of its arrival: the timestamp tolerance (5 minutes) applies to when it came, so a request
 * read days later still shows what its receiver would have decided.
 */
export function checkSignature(request: Checked, secret: string): SignatureJson {
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

const NO_BODY = new Uint8Array(0);

/**
 * The verdict for a request known by its headers only (a list row), reading its body only when the
 * verdict depends on it: a missing header, a bad or stale timestamp are decided from the headers
 * (core's verify checks those before the digest), so unsigned requests cost no body read.
 */
export async function checkSignatureLazily(
  request: Omit<Checked, 'body'>,
  secret: string,
  body: () => Promise<Uint8Array | undefined>,
): Promise<SignatureJson | undefined> {
  const headersOnly = checkSignature({ ...request, body: NO_BODY }, secret);
  if (
    !headersOnly.valid &&
    headersOnly.reason !== 'no-match' &&
    headersOnly.reason !== 'no-signature'
  )
    return headersOnly;
  const bytes = await body();
  return bytes === undefined ? undefined : checkSignature({ ...request, body: bytes }, secret);
}
