import type { BlockName, EventDefinition } from '@umhooks/core';
import { defineTrigger } from 'zapier-platform-core';
import { toItem } from '../payload/item.js';
import { eventOutputFields } from '../payload/output-fields.js';
import { titleCase, triggerDescription } from '../text.js';
import { listSamples, performDelivery } from './perform.js';
import { subscribe, unsubscribe } from './subscription.js';

const NOUNS: Record<BlockName, string> = {
  payment: 'Payment',
  membership: 'Membership',
  customer: 'Customer',
  site: 'Site',
  domain: 'Domain',
  billing: 'Customer',
};

/** Events about something no block names. */
const NOUN_BY_EVENT: Readonly<Record<string, string>> = { invoice_sent: 'Invoice' };

/** The object the event is about, for Zapier's UI ("Payment", "Site", …). */
function nounFor(event: EventDefinition): string {
  const named = NOUN_BY_EVENT[event.id];
  if (named) return named;
  const first = event.blocks[0];
  return first === undefined ? 'Event' : NOUNS[first];
}

/** One REST-hook trigger for a catalog event: its key is the event id. */
export function eventTrigger(event: EventDefinition) {
  const label = titleCase(event.name);
  return defineTrigger({
    key: event.id,
    noun: nounFor(event),
    display: { label, description: triggerDescription(event.when) },
    operation: {
      type: 'hook',
      performSubscribe: (z, bundle) => subscribe(z, bundle, event.id, label),
      performUnsubscribe: (z, bundle) => unsubscribe(z, bundle),
      perform: (z, bundle) => performDelivery(z, bundle, event),
      performList: (z, bundle) => listSamples(z, bundle, event),
      outputFields: eventOutputFields(event),
      sample: toItem(event, event.sample),
    },
  });
}
