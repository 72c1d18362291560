// What to do after an attempt (standard profile; the plugin itself never retries).
//
// Status semantics follow Standard Webhooks: only 2xx is success, 3xx is a failure (redirects
// are not followed), 410 Gone disables the subscription (Zapier answers 410 once a Zap is off),
// 408/429/5xx and network failures are worth retrying, other 4xx are not.
//
// Timing: the default policy follows Svix's published schedule (5 s, 5 min, 30 min, 2 h, 5 h,
// 10 h, 10 h: 8 attempts over about 28 hours), because a plain exponential series from 5 s
// reaches only minutes within 8 attempts, too short to ride out a receiver's outage. Each
// scheduled delay is jittered by ±20% so retries of many messages do not arrive in lockstep.
// A policy without a schedule uses exponential backoff with full jitter:
// random() × min(maxDelayMs, baseDelayMs × 2^(n-1)). A Retry-After header wins over both,
// bounded by maxDelayMs.
import type { Attempt, DeliveryErrorKind, NextStep, RetryPolicy } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: 10 * HOUR,
  schedule: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
};

/** Failures that will not get better by waiting: fix the URL or the settings instead. */
const FINAL_ERRORS: ReadonlySet<DeliveryErrorKind> = new Set([
  'invalid-url',
  'blocked',
  'redirect',
]);

function backoffMs(attemptNumber: number, policy: RetryPolicy): number {
  const random = policy.random ?? Math.random;
  const schedule = policy.schedule;
  if (schedule && schedule.length > 0) {
    const planned = schedule[Math.min(attemptNumber, schedule.length) - 1] ?? policy.baseDelayMs;
    return Math.min(policy.maxDelayMs, Math.round(planned * (0.8 + 0.4 * random())));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
  return Math.floor(random() * ceiling);
}

/** Why a retryable attempt failed, or undefined when the outcome is final. A status, when one
 * arrived, decides over an error that came later (e.g. a body that stalled). */
function retryReason(attempt: Attempt): string | undefined {
  const status = attempt.status;
  if (status === undefined) {
    return attempt.error && !FINAL_ERRORS.has(attempt.error.kind)
      ? attempt.error.message
      : undefined;
  }
  if (status === 408) return 'HTTP 408 Request Timeout';
  if (status === 429) return 'HTTP 429 Too Many Requests';
  if (status >= 500 && status <= 599) return `HTTP ${status} server error`;
  return undefined;
}

function finalReason(attempt: Attempt): string {
  const status = attempt.status;
  if (attempt.error && (status === undefined || attempt.error.kind === 'redirect')) {
    return `${attempt.error.message} (not retried: waiting will not fix it)`;
  }
  if (status !== undefined && status >= 300 && status < 400) {
    return `HTTP ${status} redirect: redirects are not followed, update the endpoint URL`;
  }
  return `HTTP ${status ?? '?'}: the receiver rejected the message; retrying would not change that`;
}

/**
 * The next step after attempt number `attemptNumber` (1 for the first try).
 * Randomness comes from `policy.random` so tests can pin it.
 */
export function decideNext(
  attempt: Attempt,
  attemptNumber: number,
  policy: RetryPolicy = defaultRetryPolicy,
): NextStep {
  const status = attempt.status;
  // A 2xx is success even if reading its body then failed: the receiver accepted the message.
  if (status !== undefined && status >= 200 && status <= 299) return { action: 'success' };
  if (status === 410) {
    return {
      action: 'disable',
      reason: 'HTTP 410 Gone: the receiver asks to stop sending (e.g. the Zap was turned off)',
    };
  }
  const reason = retryReason(attempt);
  if (reason === undefined) return { action: 'give-up', reason: finalReason(attempt) };
  if (attemptNumber >= policy.maxAttempts) {
    return {
      action: 'give-up',
      reason: `Gave up after ${attemptNumber} attempts; the last one failed with ${reason}`,
    };
  }
  const delayMs =
    attempt.retryAfterMs !== undefined
      ? Math.min(policy.maxDelayMs, attempt.retryAfterMs)
      : backoffMs(attemptNumber, policy);
  return { action: 'retry', delayMs, reason };
}
