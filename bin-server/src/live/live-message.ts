import type { DomainEvent, MissedEvent } from '../bus/events.js';
import { toBinJson } from '../wire/bin.js';
import type { LiveMessage, RefetchNotice } from '../wire/live.js';
import { toRequestSummaryJson } from '../wire/request.js';
import { toDeliveryJson, toWebhookJson } from '../wire/sandbox.js';

/** What bin views depend on besides the bin: this server's address and the bins' TTL. */
export interface BinViewSettings {
  baseUrl(): string;
  ttlMs: number;
  /** The server's --max-requests (a bin's own limit can only be lower). */
  maxRequests: number;
}

/** The message viewers get for each domain event type: the `of` of a refetch notice. */
const MESSAGE_TYPE = {
  'request.captured': 'request',
  'request.deleted': 'request.deleted',
  'requests.cleared': 'requests.cleared',
  'request.replayed': 'request.replayed',
  'forward.settled': 'request.forwarded',
  'responder.changed': 'responder',
  // Only for the forwarder it is held for (the responder registry relays it), not for viewers.
  'forward.held': null,
  'bin.changed': 'bin.updated',
  'bin.deleted': 'bin.deleted',
  'delivery.queued': 'delivery',
  'delivery.claimed': 'delivery',
  'delivery.attempted': 'delivery',
  'webhook.changed': 'webhook.updated',
  'webhook.deleted': 'webhook.deleted',
} as const satisfies Record<Exclude<DomainEvent['type'], 'missed'>, LiveMessage['type'] | null>;

function refetchNotice(event: MissedEvent): RefetchNotice | undefined {
  const of = event.of === '*' ? '*' : MESSAGE_TYPE[event.of];
  if (of === null) return undefined; // nothing a viewer was shown
  // Field order is the protocol's (viewers see these bytes): type, topic, of, bin, id.
  const notice: RefetchNotice = { type: 'refetch', topic: event.topic, of };
  if (event.bin !== undefined) notice.bin = event.bin;
  if (event.id !== undefined) notice.id = event.id;
  return notice;
}

/** The /ws message for a domain event: the only place the two meet. */
export function toLiveMessage(event: DomainEvent, bins: BinViewSettings): LiveMessage | undefined {
  switch (event.type) {
    case 'request.captured':
      return {
        type: 'request',
        bin: event.bin,
        request: toRequestSummaryJson(event.request, event.signature ?? null),
      };
    case 'request.deleted':
      return { type: 'request.deleted', bin: event.bin, id: event.id };
    case 'requests.cleared':
      return { type: 'requests.cleared', bin: event.bin };
    case 'request.replayed':
      return {
        type: 'request.replayed',
        bin: event.bin,
        request_id: event.request,
        replay_id: event.id,
        status: event.status,
      };
    case 'forward.settled':
      return {
        type: 'request.forwarded',
        bin: event.bin,
        request_id: event.request,
        outcome: event.outcome,
        status: event.status,
      };
    case 'responder.changed':
      return { type: 'responder', bin: event.bin, responding: event.responding };
    case 'forward.held':
      return undefined;
    case 'bin.changed':
      return {
        type: 'bin.updated',
        bin: event.bin,
        value: toBinJson(event.record, bins),
      };
    case 'bin.deleted':
      return { type: 'bin.deleted', bin: event.bin };
    case 'delivery.queued':
      return { type: 'delivery', delivery: toDeliveryJson(event.delivery) };
    case 'delivery.claimed':
    case 'delivery.attempted':
      return { type: 'delivery', delivery: toDeliveryJson(event.delivery, event.attempts) };
    case 'webhook.changed':
      return { type: 'webhook.updated', webhook: toWebhookJson(event.webhook) };
    case 'webhook.deleted':
      return { type: 'webhook.deleted', id: event.id };
    case 'missed':
      return refetchNotice(event);
    default:
      // A type this version does not know (an instance of another version on the bus).
      return undefined;
  }
}
