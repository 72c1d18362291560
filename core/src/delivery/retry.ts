import type { Attempt, NextStep, RetryPolicy } from './types.js';
// STUB
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 36_000_000,
};
export function decideNext(
  _attempt: Attempt,
  _attemptNumber: number,
  _policy: RetryPolicy = defaultRetryPolicy,
): NextStep {
  throw new Error('not implemented');
}
