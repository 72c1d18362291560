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
  // Whole literals, not spreads of a base: one is made per delivery.
  if (profile === 'plugin') {
    if (attempt.status !== undefined) return succeeded('recorded');
    return {
      outcome: 'recorded',
      status: 'failed',
      nextAttemptAt: undefined,
      reason: 'The plugin logs a transport error and never retries.',
      countsAsSent: false,
      deactivate: false,
      failed: false,
    };
  }
  const next = decideNext(attempt, attemptNumber, policy);
  switch (next.action) {
    case 'success':
      return succeeded('success');
    case 'retry':
      return {
        outcome: 'retry',
        status: 'pending',
        nextAttemptAt: now + next.delayMs,
        reason: next.reason,
        countsAsSent: false,
        deactivate: false,
        failed: false,
      };
    case 'give-up':
      return {
        outcome: 'give-up',
        status: attemptNumber >= policy.maxAttempts ? 'gave-up' : 'failed',
        nextAttemptAt: undefined,
        reason: next.reason,
        countsAsSent: false,
        deactivate: false,
        failed: true,
      };
    case 'disable':
      return {
        outcome: 'disable',
        status: 'failed',
        nextAttemptAt: undefined,
        reason: `${next.reason}. The webhook was deactivated (active = false); reactivate it once the receiver wants events again.`,
        countsAsSent: false,
        deactivate: true,
        failed: true,
      };
  }
}

function succeeded(outcome: 'success' | 'recorded'): Decision {
  return {
    outcome,
    status: 'succeeded',
    nextAttemptAt: undefined,
    reason: undefined,
    countsAsSent: true,
    deactivate: false,
    failed: false,
  };
}

/** The attempt as the attempt log keeps it: what was sent and answered, and what was decided. */
export function storedAttempt(
  result: Attempt,
  deliveryId: string,
  number: number,
  decision: Decision,
): StoredAttempt {
  // The sender's own attempt, made for this record: completed in place rather than copied.
  return Object.assign(result, {
    deliveryId,
    number,
    outcome: decision.outcome,
    nextAttemptAt: decision.nextAttemptAt,
    reason: decision.reason,
  });
}
