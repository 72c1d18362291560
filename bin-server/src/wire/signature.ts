import { verify, WebhookVerificationError, type VerificationFailure } from '@umhooks/core';
import type { CapturedRequest } from '../store/types.js';

/** A captured request checked against its bin's Standard Webhooks secret. */
export interface SignatureJson {
  valid: boolean;
  /** Why it does not verify; null when it does. */
  reason: VerificationFailure | null;
  /** What was found, in words. */
  message: string;
}

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
