import { catalog, getEvent, resolveEvent, type EventDefinition } from '@umhooks/core';
import {
  defineTrigger,
  type Bundle,
  type PlainOutputField,
  type ZObject,
} from 'zapier-platform-core';
import { fetchSiteHooks, siteSample } from '../hooks.js';
import { toItem } from '../payload/item.js';
import { eventOutputFields, ID_FIELD, inferredOutputFields } from '../payload/output-fields.js';
import { EVENT_CHOICES_KEY } from './event-choices.js';
import { listSamples, performDelivery } from './perform.js';
import { subscribe, unsubscribe } from './subscription.js';

const NEW_EVENT_KEY = 'new_event';

/** The event chosen in the Zap; an id the catalog does not know (an add-on's) is handled generically. */
function chosenEvent(z: ZObject, bundle: Bundle): EventDefinition {
  const chosen = bundle.inputData.event;
  if (typeof chosen !== 'string' || chosen.trim() === '') {
    throw new z.errors.Error('Choose the event that should trigger this Zap.', 'InvalidEvent', 400);
  }
  return resolveEvent(chosen.trim());
}

/** Output fields of the chosen event: the catalog's, or read off the site's sample for add-on events. */
async function chosenOutputFields(z: ZObject, bundle: Bundle): Promise<PlainOutputField[]> {
  const chosen = bundle.inputData.event;
  if (typeof chosen !== 'string' || chosen.trim() === '') return [];
  const event = resolveEvent(chosen.trim());
  if (event.known) return eventOutputFields(event);
  const sample = siteSample(await fetchSiteHooks(z, bundle), event.id);
  return sample === undefined ? [] : inferredOutputFields(toItem(event, sample));
}

/** The static sample: a delivered catalog event (payment_received when the catalog has it). */
function sampleEvent(): EventDefinition | undefined {
  return getEvent('payment_received') ?? catalog.find((event) => event.delivery === 'webhook');
}

export function newEventTrigger() {
  const sample = sampleEvent();
  return defineTrigger({
    key: NEW_EVENT_KEY,
    noun: 'Event',
    display: {
      label: 'New Event',
      description:
        'Triggers when the Ultimate Multisite event you choose happens, including events that add-ons register.',
    },
    operation: {
      type: 'hook',
      inputFields: [
        {
          key: 'event',
          label: 'Event',
          required: true,
          dynamic: `${EVENT_CHOICES_KEY}.id.name`,
          altersDynamicFields: true,
          helpText:
            'The events your network registers, add-on events included. For built-in events, the dedicated triggers (e.g. Payment Received) do the same with no choice to make.',
        },
      ],
      performSubscribe: (z, bundle) => {
        const event = chosenEvent(z, bundle);
        return subscribe(z, bundle, event.id, event.known ? event.name : event.id);
      },
      performUnsubscribe: (z, bundle) => unsubscribe(z, bundle),
      perform: (z, bundle) => performDelivery(z, bundle, chosenEvent(z, bundle)),
      performList: (z, bundle) => listSamples(z, bundle, chosenEvent(z, bundle)),
      outputFields: [ID_FIELD, chosenOutputFields],
      sample: sample ? toItem(sample, sample.sample) : { id: 'sample' },
    },
  });
}
