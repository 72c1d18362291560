import { decideNext, type Attempt, type Profile, type RetryPolicy } from '@umhooks/core';
import type { DeliveryStatus, StoredAttempt } from '../../store/types.js';

/** What happens after one attempt: the delivery's next state and the webhook's bookkeeping. */
export interface Decision {
  outcome: StoredAttempt['outcome'];
  status: DeliveryStatus;
  nextAttemptAt: number | undefined;
  reason: string | undefined;
  /** The plugin counts a webhook's `event_count` for every send that got a response. */
  countsAsSent: boolean;
  /** 410 Gone: the receiver asked to stop; the webhook is set inactive. */
  deactivate: boolean;
  /** The delivery ended without success (the webhook's `date_last_failed`, standard profile). */
  failed: boolean;
}

/**
 * `plugin`: one attempt, the status is recorded but ignored (a 500 counts as sent, like the
 * plugin); only a transport error fails it. `standard`: core's decideNext (2xx succeeds; 408,
 * 429, 5xx and network errors retry with backoff and Retry-After; 410 deactivates; other
 * failures end it: `failed` on the first try, `gave-up` when the retries are used up).
 */
export function decide(
  profile: Profile,
  attempt: Attempt,
  attemptNumber: number,
  now: number,
  policy: RetryPolicy,
): Decision {
  const base = { nextAttemptAt: undefined, countsAsSent: false, deactivate: false, failed: false };
  if (profile === 'plugin') {
    if (attempt.status !== undefined) {
      return {
        ...base,
        outcome: 'recorded',
        status: 'succeeded',
        reason: undefined,
        countsAsSent: true,
      };
    }
    return {
      ...base,
      outcome: 'recorded',
      status: 'failed',
      reason: 'The plugin logs a transport error and never retries.',
    };
  }
  const next = decideNext(attempt, attemptNumber, policy);
  switch (next.action) {
    case 'success':
      return {
        ...base,
        outcome: 'success',
        status: 'succeeded',
        reason: undefined,
        countsAsSent: true,
      };
    case 'retry':
      return {
        ...base,
        outcome: 'retry',
        status: 'pending',
        nextAttemptAt: now + next.delayMs,
        reason: next.reason,
      };
    case 'give-up':
      return {
        ...base,
        outcome: 'give-up',
        status: attemptNumber >= policy.maxAttempts ? 'gave-up' : 'failed',
        reason: next.reason,
        failed: true,
      };
    case 'disable':
      return {
        ...base,
        outcome: 'disable',
        status: 'failed',
        reason: `${next.reason}. The webhook was deactivated (active = false); reactivate it once the receiver wants events again.`,
        deactivate: true,
        failed: true,
      };
  }
}

/** The attempt as the attempt log keeps it: what was sent and answered, and what was decided. */
export function storedAttempt(
  result: Attempt,
  deliveryId: string,
  number: number,
  decision: Decision,
): StoredAttempt {
  return {
    ...result,
    deliveryId,
    number,
    outcome: decision.outcome,
    nextAttemptAt: decision.nextAttemptAt,
    reason: decision.reason,
  };
}
