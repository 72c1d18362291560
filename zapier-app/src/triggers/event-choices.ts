import { getEvent } from '@umhooks/core';
import { defineTrigger } from 'zapier-platform-core';
import { fetchSiteHooks } from '../hooks.js';
import { titleCase } from '../text.js';

export const EVENT_CHOICES_KEY = 'event_choices';

export interface EventChoice {
  id: string;
  name: string;
}

/**
 * Hidden trigger behind the New Event dropdown: every event the connected network registers,
 * including add-on events the catalog does not know. Events the plugin only logs are marked, since
 * a Zap on them runs only when an admin presses Send Test Event.
 */
export const eventChoices = defineTrigger({
  key: EVENT_CHOICES_KEY,
  noun: 'Event',
  display: {
    label: 'Event Choices',
    description:
      'Triggers when the list of events the network registers is loaded, for the New Event dropdown.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    perform: async (z, bundle): Promise<EventChoice[]> => {
      // The whole list comes on the first page; "load more" must not repeat it.
      if ((bundle.meta?.page ?? 0) > 0) return [];
      const hooks = await fetchSiteHooks(z, bundle);
      const choices = Object.entries(hooks).map(([id, hook]) => {
        const known = getEvent(id);
        const name = titleCase(hook.name?.trim() || known?.name || id);
        const logOnly = known?.delivery === 'log-only';
        return { id, name: logOnly ? `${name} (only sent by Send Test Event)` : name, logOnly };
      });
      // Events that really fire first (add-on events included), then the log-only ones.
      choices.sort((a, b) => Number(a.logOnly) - Number(b.logOnly) || a.name.localeCompare(b.name));
      return choices.map(({ id, name }) => ({ id, name }));
    },
    outputFields: [
      { key: 'id', label: 'Event ID', type: 'string' },
      { key: 'name', label: 'Event Name', type: 'string' },
    ],
    sample: { id: 'payment_received', name: 'Payment Received' },
  },
});
