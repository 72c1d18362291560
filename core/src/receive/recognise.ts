import type { Candidate } from '../events/types.js';
import type { ReceiveIssue } from './types.js';

function eventIssue(message: string): ReceiveIssue {
  return { path: '', code: 'event', severity: 'error', message };
}

const ASK_FOR_EVENT =
  'Pass `event`: each webhook posts one event to its own URL, so the endpoint knows which.';

function names(candidates: readonly Candidate[]): string {
  return candidates.map((candidate) => candidate.event).join(' or ');
}

/**
 * The event a body is, from its keys alone: the one best candidate when the body has every key
 * the event always sends. Same-keyed events tie and are not guessed between.
 */
export function recogniseFromBody(
  candidates: readonly Candidate[],
): { eventId: string; issue?: undefined } | { eventId: null; issue: ReceiveIssue } {
  const best = candidates[0];
  if (!best) {
    return {
      eventId: null,
      issue: eventIssue(
        `No event of the catalog has these keys (an add-on's event?). ${ASK_FOR_EVENT}`,
      ),
    };
  }
  const tied = candidates.filter((candidate) => candidate.score === best.score);
  if (tied.length > 1) {
    return {
      eventId: null,
      issue: eventIssue(
        `The body fits ${names(tied)} equally (they send the same keys). ${ASK_FOR_EVENT}`,
      ),
    };
  }
  if (best.missing.length > 0) {
    const missing = best.missing.slice(0, 5).join(', ') + (best.missing.length > 5 ? ', …' : '');
    return {
      eventId: null,
      issue: eventIssue(
        `The body is closest to ${best.event} but lacks ${missing}, so its event is not recognised. ${ASK_FOR_EVENT}`,
      ),
    };
  }
  return { eventId: best.event };
}

/**
 * An error when the body fits another event better than the expected one: a webhook of one
 * event pointed at another event's endpoint.
 */
export function mismatch(expected: string, candidates: readonly Candidate[]): ReceiveIssue | null {
  const best = candidates[0];
  if (!best) return null;
  const own = candidates.find((candidate) => candidate.event === expected)?.score ?? 0;
  if (best.score <= own) return null;
  const better = candidates.filter((candidate) => candidate.score === best.score);
  return eventIssue(
    `This endpoint expects ${expected}, but the body fits ${names(better)} better (${Math.round(best.score * 100)}% against ${Math.round(own * 100)}% of the keys): is a webhook of another event pointed at this URL?`,
  );
}
