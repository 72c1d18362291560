import { createHash } from 'node:crypto';
import { parsePayload, type EventDefinition, type PayloadIssue } from '@umhooks/core';
import { canonicalJson, isPlainObject } from './json.js';

/** What every trigger outputs for one delivery: an `id` plus the event's normalized fields. */
export type TriggerItem = { id: string } & Record<string, unknown>;

/** Key the plugin appends to every delivery (absent from its `GET /hooks` samples). */
export const VERSION_KEY = 'wu_version';
/** Zapier adds the parsed query string to `cleanedRequest`; it is not part of the payload. */
const ZAPIER_KEYS = new Set(['querystring']);

/**
 * The body Zapier parsed from a delivery, or undefined when there is none to use (no body, a
 * JSON array or scalar, a form that did not parse).
 */
export function payloadFromRequest(cleanedRequest: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(cleanedRequest)) return undefined;
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cleanedRequest)) {
    if (!ZAPIER_KEYS.has(key)) payload[key] = value;
  }
  return Object.keys(payload).length > 0 ? payload : undefined;
}

/**
 * Normalizes one payload into the trigger's output shape. Known events always yield exactly the
 * catalog's keys (missing optional ones as null) plus `wu_version`, so a real delivery, the site's
 * sample (performList) and the static sample have the same fields for mapping in the Zap editor.
 * A payload that fails the schema is still passed on (its raw values) rather than dropped: a
 * plugin update that changes one field should not stop the user's Zaps; `report` hears why.
 */
export function toItem(
  event: EventDefinition,
  payload: Record<string, unknown>,
  report?: (issues: PayloadIssue[]) => void,
): TriggerItem {
  const parsed = parsePayload(event.id, payload);
  if (!parsed.ok) report?.(parsed.issues.filter((issue) => issue.severity === 'error'));
  const data = parsed.data ?? payload;
  const fields: Record<string, unknown> = {};
  if (event.known) {
    for (const field of event.fields) fields[field.key] = data[field.key] ?? null;
  } else {
    for (const [key, value] of Object.entries(data)) {
      // The item's own `id` is derived; an add-on payload's `id` is kept under another name.
      if (key !== VERSION_KEY) fields[key === 'id' ? 'payload_id' : key] = value;
    }
  }
  const pluginVersion = payload[VERSION_KEY];
  fields[VERSION_KEY] = typeof pluginVersion === 'string' ? pluginVersion : null;
  return { id: itemId(event, fields), ...fields };
}

/**
 * Deliveries carry no id of their own, so the id is derived: `<event>:<primary object id>:<hash>`,
 * where the primary object is the first `*_id` field (payment for payment events, site for
 * site_published, …) and the hash covers the normalized fields. The same delivery always gets
 * the same id (a retried or repeated post is recognizable), while two different updates of the
 * same object differ; numeric-string and number variants of one payload normalize alike.
 */
function itemId(event: EventDefinition, fields: Record<string, unknown>): string {
  const digest = createHash('sha256').update(canonicalJson(fields)).digest('hex').slice(0, 12);
  const primary = primaryId(event, fields);
  return primary === undefined ? `${event.id}:${digest}` : `${event.id}:${primary}:${digest}`;
}

function primaryId(event: EventDefinition, fields: Record<string, unknown>): string | undefined {
  const keys = event.known ? event.fields.map((field) => field.key) : Object.keys(fields);
  for (const key of keys) {
    if (!key.endsWith('_id')) continue;
    const value = fields[key];
    if (typeof value === 'number' || (typeof value === 'string' && value !== ''))
      return String(value);
  }
  return undefined;
}
