import { composeEvent } from './compose.js';
import { eventSpecs, type EventSpec } from './event-specs.js';
import { genericEvent } from './generic.js';
import type { EventDefinition } from './types.js';

export { genericEvent };

// Widened: the literal spec types are for the event data types (event-data.ts), not needed here.
const specs: readonly EventSpec[] = eventSpecs;

/** Every event the plugin registers, in registration order; frozen, shared by all consumers. */
export const catalog: readonly EventDefinition[] = Object.freeze(specs.map(composeEvent));

const byId: ReadonlyMap<string, EventDefinition> = new Map(
  catalog.map((event) => [event.id, event]),
);

/** Ids whose live payload may nest objects instead of the flat sample shape (see demo-site.ts). */
export const nestedLiveShapeIds: ReadonlySet<string> = new Set(
  specs.filter((spec) => spec.nestedLiveShape).map((spec) => spec.id),
);

export function getEvent(id: string): EventDefinition | undefined {
  return byId.get(id);
}

/** The known definition, or a generic one for ids the catalog does not know (add-ons). */
export function resolveEvent(id: string): EventDefinition {
  return byId.get(id) ?? genericEvent(id);
}
