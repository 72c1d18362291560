import { afterAll, describe, expect, it } from 'vitest';
import {
  decideNext,
  defaultRetryPolicy,
  deliver,
  generateSecret,
  parseRetryAfter,
  type Attempt,
  type DeliveryErrorKind,
  type RetryPolicy,
} from '../../core/src/index.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

function attempt(fields: Partial<Attempt>): Attempt {
  return {
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
    request: { method: 'POST', url: 'http://127.0.0.1/x', headers: [], body: '{}' },
    ...fields,
  };
}

const fixed = (value: number): RetryPolicy => ({ ...defaultRetryPolicy, random: () => value });

describe('decideNext: what each outcome leads to', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [299, 'success'],
    [410, 'disable'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [301, 'give-up'],
    [302, 'give-up'],
    [307, 'give-up'],
    [400, 'give-up'],
    [401, 'give-up'],
    [403, 'give-up'],
    [404, 'give-up'],
    [422, 'give-up'],
  ])('HTTP %i → %s', (status, action) => {
    expect(decideNext(attempt({ status }), 1, fixed(0.5)).action).toBe(action);
  });

  it.each<[DeliveryErrorKind, string]>([
    ['timeout', 'retry'],
    ['refused', 'retry'],
    ['dns', 'retry'],
    ['tls', 'retry'],
    ['reset', 'retry'],
    ['too-large', 'retry'],
    ['other', 'retry'],
    ['invalid-url', 'give-up'],
    ['blocked', 'give-up'],
    ['redirect', 'give-up'],
  ])('network error %s → %s', (kind, action) => {
    expect(
      decideNext(attempt({ error: { kind, message: `failed: ${kind}` } }), 1, fixed(0.5)).action,
    ).toBe(action);
  });

  it('lets a status that arrived decide over a later error (a stalled body)', () => {
    const stalled = { kind: 'timeout' as const, message: 'Timed out' };
    expect(decideNext(attempt({ status: 200, error: stalled }), 1).action).toBe('success');
    expect(decideNext(attempt({ status: 404, error: stalled }), 1).action).toBe('give-up');
    expect(decideNext(attempt({ status: 410, error: stalled }), 1).action).toBe('disable');
  });

  it('explains its decisions', () => {
    expect(decideNext(attempt({ status: 410 }), 1)).toMatchObject({
      reason: expect.stringMatching(/410 Gone/),
    });
    expect(decideNext(attempt({ status: 302 }), 1)).toMatchObject({
      reason: expect.stringMatching(/redirects are not followed/),
    });
    expect(decideNext(attempt({ status: 404 }), 1)).toMatchObject({
      reason: expect.stringMatching(/HTTP 404/),
    });
    expect(decideNext(attempt({ status: 503 }), 1, fixed(0.5))).toMatchObject({
      reason: 'HTTP 503 server error',
    });
  });

  it('gives up after maxAttempts', () => {
    const failed = attempt({ status: 503 });
    expect(decideNext(failed, 7, fixed(0.5)).action).toBe('retry');
    const last = decideNext(failed, 8, fixed(0.5));
    expect(last).toMatchObject({
      action: 'give-up',
      reason: expect.stringMatching(/after 8 attempts.*503/),
    });
    expect(decideNext(failed, 2, { ...fixed(0.5), maxAttempts: 2 }).action).toBe('give-up');
  });
});

describe('backoff timing', () => {
  const delayOf = (n: number, policy: RetryPolicy) => {
    const step = decideNext(attempt({ status: 500 }), n, policy);
    if (step.action !== 'retry') throw new Error(`expected a retry, got ${step.action}`);
    return step.delayMs;
  };

  it("follows Svix's schedule by default, jittered within ±20%", () => {
    const schedule = defaultRetryPolicy.schedule!;
    expect(schedule).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    for (let n = 1; n < defaultRetryPolicy.maxAttempts; n++) {
      const planned = schedule[n - 1]!;
      expect(delayOf(n, fixed(0))).toBe(Math.round(planned * 0.8));
      expect(delayOf(n, fixed(0.5))).toBe(planned);
      expect(delayOf(n, fixed(0.999999))).toBeLessThanOrEqual(
        Math.min(planned * 1.2, defaultRetryPolicy.maxDelayMs),
      );
      if (planned * 1.2 <= defaultRetryPolicy.maxDelayMs)
        expect(delayOf(n, fixed(0.999999))).toBeGreaterThan(planned);
      else expect(delayOf(n, fixed(0.999999))).toBe(defaultRetryPolicy.maxDelayMs); // the 10 h cap
    }
    // grows (or holds at the cap) from one retry to the next
    const middle = [1, 2, 3, 4, 5, 6, 7].map((n) => delayOf(n, fixed(0.5)));
    middle.slice(1).forEach((delay, index) => expect(delay).toBeGreaterThanOrEqual(middle[index]!));
  });

  it('uses exponential backoff with full jitter when the policy has no schedule', () => {
    const policy = (random: number): RetryPolicy => ({
      maxAttempts: 20,
      baseDelayMs: 5_000,
      maxDelayMs: 36_000_000,
      random: () => random,
    });
    const ceilings = Array.from({ length: 19 }, (_, i) => Math.min(36_000_000, 5_000 * 2 ** i));
    ceilings.forEach((ceiling, index) => {
      expect(delayOf(index + 1, policy(0))).toBe(0);
      expect(delayOf(index + 1, policy(0.5))).toBe(Math.floor(ceiling / 2));
      expect(delayOf(index + 1, policy(0.999999))).toBeLessThan(ceiling);
    });
    expect(delayOf(19, policy(0.999999))).toBeLessThanOrEqual(36_000_000);
    // random values spread over [0, ceiling)
    const seen = new Set(Array.from({ length: 50 }, (_, i) => delayOf(4, policy(i / 50))));
    expect(seen.size).toBe(50);
  });

  it('honours Retry-After over backoff, bounded by maxDelayMs', () => {
    expect(decideNext(attempt({ status: 429, retryAfterMs: 120_000 }), 1, fixed(0))).toMatchObject({
      action: 'retry',
      delayMs: 120_000,
    });
    expect(decideNext(attempt({ status: 503, retryAfterMs: 0 }), 3, fixed(0.9))).toMatchObject({
      delayMs: 0,
    });
    expect(decideNext(attempt({ status: 429, retryAfterMs: 10 * 86_400_000 }), 1)).toMatchObject({
      delayMs: defaultRetryPolicy.maxDelayMs,
    });
    // Retry-After on a final answer changes nothing
    expect(decideNext(attempt({ status: 400, retryAfterMs: 1_000 }), 1).action).toBe('give-up');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:01:30 GMT', 90_000],
    ['Thursday, 01-Jan-26 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0], // in the past
    ['1.5', undefined],
    ['-3', undefined],
    ['soon', undefined],
    [undefined, undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('a real 503 with Retry-After, end to end', () => {
  let receiver: Receiver | undefined;
  afterAll(() => receiver?.close());

  it('retries after the delay the receiver asked for', async () => {
    receiver = await startReceiver(() => ({
      status: 503,
      headers: { 'Retry-After': '42' },
      body: 'busy',
    }));
    const result = await deliver(
      `${receiver.url}/`,
      { a: 1 },
      {
        profile: 'standard',
        secret: generateSecret(),
      },
    );
    expect(decideNext(result, 1, fixed(0.5))).toEqual({
      action: 'retry',
      delayMs: 42_000,
      reason: 'HTTP 503 server error',
    });
  });
});
