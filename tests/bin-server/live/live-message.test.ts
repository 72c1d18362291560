import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../bin-server/src/bus/events.js';
import { missedEvent } from '../../../bin-server/src/bus/missed.js';
import { toLiveMessage } from '../../../bin-server/src/live/live-message.js';
import type {
  Bin,
  Delivery,
  RequestSummary,
  StoredAttempt,
  SandboxWebhook,
} from '../../../bin-server/src/store/types.js';
import { toBinJson } from '../../../bin-server/src/wire/bin.js';
import { toRequestSummaryJson } from '../../../bin-server/src/wire/request.js';
import { toDeliveryJson, toWebhookJson } from '../../../bin-server/src/wire/sandbox.js';

// The hub's one mapping from domain events to what /ws viewers receive: each event type, and the
// `missed` stand-in as the protocol's `refetch` notice (its `of` is the viewer's message type).

const at = Date.UTC(2026, 0, 2, 3, 4, 5);
const bins = {
  baseUrl: () => 'http://127.0.0.1:8787',
  ttlMs: 7 * 86_400_000,
  maxRequests: 500,
};

const request: RequestSummary = {
  id: 'req_1',
  binId: 'live-bin',
  seq: 3,
  receivedAt: at,
  method: 'POST',
  path: '/payment_received',
  query: 'x=1',
  rawHeaders: ['Content-Type', 'application/json'],
  remoteAddress: '127.0.0.1',
  recognition: undefined,
  size: 2,
  contentType: 'application/json',
};
const bin: Bin = {
  id: 'live-bin',
  name: 'Live',
  createdAt: at,
  lastUsedAt: at,
  response: { status: 202, headers: [['x-a', 'b']], body: 'ok', delayMs: 0 },
  requestCount: 3,
  evictedCount: 0,
  signingSecret: undefined,
  maxRequests: undefined,
  rules: [],
};
const delivery: Delivery = {
  id: 'msg_1',
  webhookId: 9,
  event: 'site_published',
  payload: '{"id":1}',
  profile: 'standard',
  url: 'http://127.0.0.1:9/hook',
  status: 'pending',
  attemptCount: 1,
  createdAt: at,
  nextAttemptAt: at + 1000,
  leaseOwner: undefined,
  leaseUntil: undefined,
};
const attempt: StoredAttempt = {
  deliveryId: 'msg_1',
  number: 1,
  startedAt: new Date(at).toISOString(),
  durationMs: 12,
  request: { method: 'POST', url: delivery.url, headers: [], body: '{"id":1}' },
  status: 503,
  outcome: 'retry',
  nextAttemptAt: at + 1000,
  reason: '503: retrying',
};
const webhook: SandboxWebhook = {
  id: 9,
  name: 'Hook',
  webhookUrl: delivery.url,
  event: 'site_published',
  eventCount: 4,
  active: true,
  hidden: false,
  integration: 'manual',
  dateCreated: at,
  dateModified: at,
  dateLastFailed: undefined,
  migratedFromId: 0,
  profile: 'standard',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};

const verdict = {
  valid: false,
  reason: 'no-match' as const,
  message: 'No signature matches: wrong secret, or the body was changed.',
};

describe('live: domain events as viewer messages', () => {
  it('maps every event of a bin to its message', () => {
    const cases: Array<[DomainEvent, unknown]> = [
      [
        { type: 'request.captured', bin: 'live-bin', request },
        { type: 'request', bin: 'live-bin', request: toRequestSummaryJson(request, null) },
      ],
      [
        // The bin had a secret at capture: the verdict made then travels with the event.
        { type: 'request.captured', bin: 'live-bin', request, signature: verdict },
        { type: 'request', bin: 'live-bin', request: toRequestSummaryJson(request, verdict) },
      ],
      [
        { type: 'request.deleted', bin: 'live-bin', id: 'req_1' },
        { type: 'request.deleted', bin: 'live-bin', id: 'req_1' },
      ],
      [
        { type: 'requests.cleared', bin: 'live-bin' },
        { type: 'requests.cleared', bin: 'live-bin' },
      ],
      [
        { type: 'request.replayed', bin: 'live-bin', request: 'req_1', id: 'rpl_1', status: 202 },
        {
          type: 'request.replayed',
          bin: 'live-bin',
          request_id: 'req_1',
          replay_id: 'rpl_1',
          status: 202,
        },
      ],
      [
        { type: 'bin.changed', bin: 'live-bin', record: bin },
        { type: 'bin.updated', bin: 'live-bin', value: toBinJson(bin, bins) },
      ],
      [
        { type: 'bin.deleted', bin: 'live-bin' },
        { type: 'bin.deleted', bin: 'live-bin' },
      ],
    ];
    for (const [event, message] of cases) {
      expect(JSON.stringify(toLiveMessage(event, bins))).toBe(JSON.stringify(message));
    }
  });

  it('maps every sandbox event to its message', () => {
    const cases: Array<[DomainEvent, unknown]> = [
      [
        { type: 'delivery.queued', delivery },
        { type: 'delivery', delivery: toDeliveryJson(delivery) },
      ],
      [
        { type: 'delivery.claimed', delivery, attempts: [] },
        { type: 'delivery', delivery: toDeliveryJson(delivery, []) },
      ],
      [
        { type: 'delivery.attempted', delivery, attempts: [attempt] },
        { type: 'delivery', delivery: toDeliveryJson(delivery, [attempt]) },
      ],
      [
        { type: 'webhook.changed', webhook },
        { type: 'webhook.updated', webhook: toWebhookJson(webhook) },
      ],
      [
        { type: 'webhook.deleted', id: 9 },
        { type: 'webhook.deleted', id: 9 },
      ],
    ];
    for (const [event, message] of cases) {
      expect(JSON.stringify(toLiveMessage(event, bins))).toBe(JSON.stringify(message));
    }
  });

  it('gives the same message for an event that travelled as JSON (another instance)', () => {
    const events: DomainEvent[] = [
      { type: 'request.captured', bin: 'live-bin', request },
      { type: 'bin.changed', bin: 'live-bin', record: bin },
      { type: 'delivery.attempted', delivery, attempts: [attempt] },
      { type: 'webhook.changed', webhook },
    ];
    for (const event of events) {
      const travelled = JSON.parse(JSON.stringify(event)) as DomainEvent;
      expect(JSON.stringify(toLiveMessage(travelled, bins))).toBe(
        JSON.stringify(toLiveMessage(event, bins)),
      );
    }
  });

  it('turns a missed event into the refetch notice, naming the viewer message type', () => {
    const notice = (event: DomainEvent) =>
      JSON.stringify(toLiveMessage(missedEvent('sandbox', event), bins));
    expect(
      JSON.stringify(
        toLiveMessage(
          missedEvent('bin:live-bin', { type: 'request.captured', bin: 'live-bin', request }),
          bins,
        ),
      ),
    ).toBe(
      '{"type":"refetch","topic":"bin:live-bin","of":"request","bin":"live-bin","id":"req_1"}',
    );
    expect(
      JSON.stringify(
        toLiveMessage(
          missedEvent('bin:live-bin', { type: 'bin.changed', bin: 'live-bin', record: bin }),
          bins,
        ),
      ),
    ).toBe(
      '{"type":"refetch","topic":"bin:live-bin","of":"bin.updated","bin":"live-bin","id":"live-bin"}',
    );
    expect(
      JSON.stringify(
        toLiveMessage(
          missedEvent('bin:live-bin', { type: 'requests.cleared', bin: 'live-bin' }),
          bins,
        ),
      ),
    ).toBe('{"type":"refetch","topic":"bin:live-bin","of":"requests.cleared","bin":"live-bin"}');
    // A replay's stand-in names the request to refetch (it lists its replays).
    expect(
      JSON.stringify(
        toLiveMessage(
          missedEvent('bin:live-bin', {
            type: 'request.replayed',
            bin: 'live-bin',
            request: 'req_1',
            id: 'rpl_1',
            status: null,
          }),
          bins,
        ),
      ),
    ).toBe(
      '{"type":"refetch","topic":"bin:live-bin","of":"request.replayed","bin":"live-bin","id":"req_1"}',
    );
    expect(notice({ type: 'delivery.claimed', delivery, attempts: [] })).toBe(
      '{"type":"refetch","topic":"sandbox","of":"delivery","id":"msg_1"}',
    );
    expect(notice({ type: 'webhook.changed', webhook })).toBe(
      '{"type":"refetch","topic":"sandbox","of":"webhook.updated","id":9}',
    );
    expect(notice({ type: 'webhook.deleted', id: 9 })).toBe(
      '{"type":"refetch","topic":"sandbox","of":"webhook.deleted","id":9}',
    );
    expect(JSON.stringify(toLiveMessage(missedEvent('bin:live-bin'), bins))).toBe(
      '{"type":"refetch","topic":"bin:live-bin","of":"*"}',
    );
  });

  it('maps two-way forwarding events; a hold goes to its forwarder only, never to viewers', () => {
    const settled: DomainEvent = {
      type: 'forward.settled',
      bin: 'live-bin',
      request: 'req_1',
      outcome: 'answered',
      status: 201,
    };
    expect(toLiveMessage(settled, bins)).toEqual({
      type: 'request.forwarded',
      bin: 'live-bin',
      request_id: 'req_1',
      outcome: 'answered',
      status: 201,
    });
    expect(
      toLiveMessage({ type: 'responder.changed', bin: 'live-bin', responding: true }, bins),
    ).toEqual({ type: 'responder', bin: 'live-bin', responding: true });
    const held: DomainEvent = {
      type: 'forward.held',
      bin: 'live-bin',
      request: 'req_1',
      owner: 'o',
      timeoutMs: 10,
    };
    expect(toLiveMessage(held, bins)).toBeUndefined();
    expect(toLiveMessage(missedEvent('bin:live-bin', held), bins)).toBeUndefined();
    expect(JSON.stringify(toLiveMessage(missedEvent('bin:live-bin', settled), bins))).toBe(
      '{"type":"refetch","topic":"bin:live-bin","of":"request.forwarded","bin":"live-bin","id":"req_1"}',
    );
  });

  it('sends nothing for an event type this version does not know', () => {
    const unknown = { type: 'from.a.newer.version' } as unknown as DomainEvent;
    expect(toLiveMessage(unknown, bins)).toBeUndefined();
  });
});
