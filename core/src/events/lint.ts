import { blockFieldByKey } from './blocks.js';
import { nestedLiveShapeIds } from './catalog.js';
import { flattenDemoPayload, isNestedDemoPayload } from './demo-site.js';
import type { EventDefinition, FieldInfo, PayloadIssue } from './types.js';
import { describeValue, normalizers } from './values.js';

/*
 * Findings that do not make a payload wrong but deserve a look: they come back as warnings and
 * never turn `ok` false. Zod cannot carry warnings, so they are computed here, beside the schema.
 */

function warning(path: string, code: PayloadIssue['code'], message: string): PayloadIssue {
  return { path, code, severity: 'warning', message };
}

/** Future plugin versions add statuses: an unknown one is accepted and pointed out. */
function unknownChoices(
  fields: Iterable<Pick<FieldInfo, 'key' | 'choices'>>,
  values: Record<string, unknown>,
): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  for (const { key, choices } of fields) {
    const value = values[key];
    if (!choices || typeof value !== 'string' || value === '' || choices.includes(value)) continue;
    issues.push(
      warning(
        key,
        'value',
        `${key} is ${describeValue(value)}, which is not one of the documented values (${choices.join(', ')}); it was accepted as sent, since newer plugin versions add values.`,
      ),
    );
  }
  return issues;
}

/** Add-on payloads: keys named like block fields whose values could not be normalized. */
function unnormalizedKnownKeys(raw: Record<string, unknown>): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const spec = blockFieldByKey.get(key);
    const result = spec ? normalizers[spec.kind](value) : undefined;
    if (!spec || !result || result.ok) continue;
    issues.push(
      warning(
        key,
        'type',
        `${key} (${spec.label}) is normally ${result.expected}, got ${describeValue(value)}; it was kept as sent.`,
      ),
    );
  }
  return issues;
}

function nestedShapeGaps(event: EventDefinition, raw: Record<string, unknown>): PayloadIssue[] {
  if (!nestedLiveShapeIds.has(event.id) || !isNestedDemoPayload(raw)) return [];
  const { unavailable } = flattenDemoPayload(raw);
  if (unavailable.length === 0) return [];
  return [
    warning(
      '',
      'missing',
      `This is the live ${event.id} payload, which nests the site, membership and customer objects instead of sending flat fields. These flat fields are not part of it and were left empty: ${unavailable.join(', ')}.`,
    ),
  ];
}

/** Per event, the fields with documented values: the only ones unknownChoices looks at. */
const choiceFieldsOf = new WeakMap<EventDefinition, readonly FieldInfo[]>();

function choiceFields(event: EventDefinition): readonly FieldInfo[] {
  let fields = choiceFieldsOf.get(event);
  if (fields === undefined) {
    fields = event.fields.filter((field) => field.choices !== undefined);
    choiceFieldsOf.set(event, fields);
  }
  return fields;
}

export function lintPayload(
  event: EventDefinition,
  raw: Record<string, unknown>,
  data: Record<string, unknown> | undefined,
): PayloadIssue[] {
  if (!event.known) {
    const recognized = Object.keys(raw).flatMap((key) => blockFieldByKey.get(key) ?? []);
    return [...unnormalizedKnownKeys(raw), ...unknownChoices(recognized, data ?? raw)];
  }
  return [...unknownChoices(choiceFields(event), data ?? raw), ...nestedShapeGaps(event, raw)];
}
