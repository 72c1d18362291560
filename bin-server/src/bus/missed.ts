import type { DomainEvent, MissedEvent, Topic } from './events.js';

/** What `event` was about, for its stand-in: the id of its request, delivery, webhook or bin. */
function idOf(event: DomainEvent): string | number | undefined {
  switch (event.type) {
    case 'request.captured':
      return event.request.id;
    case 'bin.changed':
      return event.record.id;
    case 'delivery.queued':
    case 'delivery.claimed':
    case 'delivery.attempted':
      return event.delivery.id;
    case 'webhook.changed':
      return event.webhook.id;
    case 'request.replayed':
    case 'forward.held':
    case 'forward.settled':
      return event.request; // what a viewer refetches: the request, with its replays
    case 'request.deleted':
    case 'webhook.deleted':
      return event.id;
    case 'requests.cleared':
    case 'responder.changed':
    case 'bin.deleted':
    case 'missed':
      return undefined;
  }
}

/**
 * The small stand-in for `event` on `topic` when it cannot travel between instances, or for
 * anything on `topic` (no event) after the bus may have missed some.
 */
export function missedEvent(topic: Topic, event?: DomainEvent): MissedEvent {
  if (event === undefined) return { type: 'missed', topic, of: '*' };
  if (event.type === 'missed') return event;
  const missed: MissedEvent = { type: 'missed', topic, of: event.type };
  if ('bin' in event) missed.bin = event.bin;
  const id = idOf(event);
  if (id !== undefined) missed.id = id;
  return missed;
}
