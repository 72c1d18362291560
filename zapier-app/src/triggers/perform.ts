import type { EventDefinition, PayloadIssue } from '@umhooks/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { fetchSiteHooks, siteSample } from '../hooks.js';
import { payloadFromRequest, toItem, type TriggerItem } from '../payload/item.js';

/**
 * One delivery → one item. A request without a JSON object body (Zapier may call `perform`
 * without `cleanedRequest`) yields no item: `[]` tells Zapier to ignore it, and the log says why.
 */
export function performDelivery(z: ZObject, bundle: Bundle, event: EventDefinition): TriggerItem[] {
  const payload = payloadFromRequest(bundle.cleanedRequest);
  if (payload === undefined) {
    z.console.log(`Ignored a request to the ${event.id} hook: its body is not a JSON object.`);
    return [];
  }
  const report = (issues: PayloadIssue[]) =>
    z.console.log(
      `The ${event.id} payload does not match the event's fields; passing its values on as sent: ` +
        issues.map((issue) => issue.message).join('; '),
    );
  return [toItem(event, payload, report)];
}

/**
 * What the Zap editor shows when the user tests the trigger: the connected site's own sample for
 * the event (its version decides the fields), normalized exactly like a delivery; the catalog's
 * sample when the site does not register the event; nothing for an unknown event without one.
 */
export async function listSamples(
  z: ZObject,
  bundle: Bundle,
  event: EventDefinition,
): Promise<TriggerItem[]> {
  const hooks = await fetchSiteHooks(z, bundle);
  const sample = siteSample(hooks, event.id) ?? (event.known ? event.sample : undefined);
  return sample === undefined ? [] : [toItem(event, sample)];
}
