import { z } from 'zod';
import { blockFieldByKey } from './blocks.js';
import type { EventDefinition } from './types.js';
import { normalizers } from './values.js';

/**
 * Add-ons register events whose slugs and payloads the catalog cannot know. Their payloads are
 * kept key for key; keys that a block defines (customer_id, payment_total_raw, …) are normalized
 * like in known events when their value allows it, and kept as sent otherwise (lint.ts reports
 * those as warnings: an add-on may reuse a name for something else).
 */
const genericSchema = z.record(z.string(), z.unknown()).transform((body) => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const spec = blockFieldByKey.get(key);
    const result = spec ? normalizers[spec.kind](value) : undefined;
    out[key] = result?.ok ? result.value : value;
  }
  return out;
}) as unknown as z.ZodType<Record<string, unknown>>;

const EMPTY = Object.freeze({});
const NO_FIELDS = Object.freeze([]);

/** "some_addon_event" → "Some Addon Event". */
function titleFromSlug(id: string): string {
  const words = id.split(/[_\-\s]+/).filter(Boolean);
  if (words.length === 0) return 'Unnamed Event';
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

/** A definition for an event id the catalog does not know (an add-on's event). */
export function genericEvent(id: string): EventDefinition {
  return Object.freeze({
    id,
    name: titleFromSlug(id),
    description: `The "${id}" event, which this catalog does not describe (an add-on probably registers it). Its payload is passed on as sent; fields known from other events, such as ids, amounts and dates, are cleaned up the same way.`,
    when: `the "${id}" event fires`,
    since: 'unknown',
    delivery: 'webhook',
    known: false,
    blocks: NO_FIELDS,
    fields: NO_FIELDS,
    schema: genericSchema,
    sample: EMPTY,
    pluginSample: EMPTY,
    deprecatedArgs: EMPTY,
  });
}
