import type { Attempt } from '@umhooks/core';
import type { Delivery, SandboxWebhook } from '../../store/types.js';
import type { Decision } from './decide.js';

/**
 * The attempt on record when nothing went out: no request was made, `reason` says why. `now`
 * is the dispatcher's clock (context.now), like every other time it records.
 */
export function notSentAttempt(delivery: Delivery, reason: string, now: number): Attempt {
  return {
    startedAt: new Date(now).toISOString(),
    durationMs: 0,
    request: { method: 'POST', url: delivery.url, headers: [], body: '' },
    error: { kind: 'other', message: reason },
  };
}

/** The delivery is not sent: the webhook is gone, or (standard profile) deactivated. */
export function notSentDecision(
  delivery: Delivery,
  webhook: SandboxWebhook | undefined,
): Decision & { reason: string } {
  return {
    outcome: 'give-up',
    status: 'failed',
    nextAttemptAt: undefined,
    reason: webhook
      ? `Not sent: webhook ${delivery.webhookId} is inactive (a receiver answered 410, or someone turned it off).`
      : `Not sent: webhook ${delivery.webhookId} was deleted after this event was fired.`,
    countsAsSent: false,
    deactivate: false,
    failed: false,
  };
}
