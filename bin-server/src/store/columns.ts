import type { Recognition } from './types.js';

// Columns every driver derives from a captured request, so lists and filters agree across drivers.

/** The first Content-Type header's value, `` when there is none. */
export function contentTypeOf(rawHeaders: readonly string[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'content-type') return rawHeaders[i + 1]!;
  }
  return '';
}

/**
 * The event ids `event=` matches: the checked event and the tied best candidates (each driver's
 * request_events rows).
 */
export function eventIds(recognition: Recognition | undefined): string[] {
  if (!recognition) return [];
  const ids = new Set<string>();
  if (recognition.checkedEvent) ids.add(recognition.checkedEvent);
  const best = recognition.candidates[0]?.score;
  for (const c of recognition.candidates) if (c.score === best) ids.add(c.event);
  return [...ids];
}

/** ` a b ` : event ids (eventIds) as the requests.events column holds them. */
export function eventsColumn(ids: readonly string[]): string {
  return ids.length === 0 ? '' : ` ${ids.join(' ')} `;
}
