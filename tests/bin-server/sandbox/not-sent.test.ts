import { describe, expect, it } from 'vitest';
import {
  notSentAttempt,
  notSentDecision,
} from '../../../bin-server/src/sandbox/dispatch/not-sent.js';
import type { Delivery, SandboxWebhook } from '../../../bin-server/src/store/types.js';

// The one place a "not sent" attempt is built: no request made, the reason as its error, and
// the time from the dispatcher's clock (context.now), not the wall clock.

const delivery: Delivery = {
  id: 'msg_1',
  webhookId: 5,
  event: 'site_published',
  payload: '{}',
  profile: 'standard',
  url: 'http://127.0.0.1:9/hook',
  status: 'delivering',
  attemptCount: 0,
  createdAt: 0,
  nextAttemptAt: 0,
  leaseOwner: 'w',
  leaseUntil: 1000,
};

describe('dispatcher: not sent', () => {
  it('records no request, the reason, and the time it is given', () => {
    const at = Date.UTC(2001, 1, 3, 4, 5, 6);
    expect(notSentAttempt(delivery, 'Not sent: why', at)).toEqual({
      startedAt: '2001-02-03T04:05:06.000Z',
      durationMs: 0,
      request: { method: 'POST', url: 'http://127.0.0.1:9/hook', headers: [], body: '' },
      error: { kind: 'other', message: 'Not sent: why' },
    });
  });

  it('fails the delivery for good, saying whether the webhook was deleted or is inactive', () => {
    const gone = notSentDecision(delivery, undefined);
    expect(gone).toMatchObject({ outcome: 'give-up', status: 'failed', countsAsSent: false });
    expect(gone.reason).toBe('Not sent: webhook 5 was deleted after this event was fired.');
    const inactive = notSentDecision(delivery, { id: 5, active: false } as SandboxWebhook);
    expect(inactive.reason).toMatch(/^Not sent: webhook 5 is inactive/);
    expect(inactive).toMatchObject({ deactivate: false, failed: false, nextAttemptAt: undefined });
  });
});
