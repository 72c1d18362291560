import { catalog } from '@umhooks/core';
import { eventChoices } from './event-choices.js';
import { eventTrigger } from './event-trigger.js';
import { newEventTrigger } from './new-event.js';

/** One REST-hook trigger per event the plugin really delivers, the generic New Event, and its dropdown. */
export function buildTriggers() {
  const triggers = [
    ...catalog.filter((event) => event.delivery === 'webhook').map(eventTrigger),
    newEventTrigger(),
    eventChoices,
  ];
  const byKey: Record<string, (typeof triggers)[number]> = {};
  for (const trigger of triggers) {
    if (byKey[trigger.key]) throw new Error(`Two triggers share the key "${trigger.key}".`);
    byKey[trigger.key] = trigger;
  }
  return byKey;
}
