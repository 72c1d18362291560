import type { EventDefinition, FieldInfo, FieldType } from '@umhooks/core';
import type { PlainOutputField } from 'zapier-platform-core';
import { titleCase } from '../text.js';
import { VERSION_KEY } from './item.js';

type ZapierFieldType = NonNullable<PlainOutputField['type']>;

/** Zapier knows string/integer/number/boolean/datetime; links, e-mails and HTML are strings to it. */
const ZAPIER_TYPES: Record<FieldType, ZapierFieldType | undefined> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
  url: 'string',
  email: 'string',
  html: 'string',
  // Nested objects: Zapier flattens them itself (`site__title`), a type would be wrong.
  json: undefined,
};

export const ID_FIELD: PlainOutputField = { key: 'id', label: 'ID', type: 'string' };
const VERSION_FIELD: PlainOutputField = {
  key: VERSION_KEY,
  label: 'Ultimate Multisite Version',
  type: 'string',
};

function outputField(field: FieldInfo): PlainOutputField {
  const type = ZAPIER_TYPES[field.type];
  return type === undefined
    ? { key: field.key, label: field.label }
    : { key: field.key, label: field.label, type };
}

/** The output fields of a known event, in the order `toItem` produces its keys. */
export function eventOutputFields(event: EventDefinition): PlainOutputField[] {
  return [ID_FIELD, ...event.fields.map(outputField), VERSION_FIELD];
}

/** For events the catalog does not know (add-ons): fields read off an item's values. */
export function inferredOutputFields(item: Record<string, unknown>): PlainOutputField[] {
  return Object.entries(item).map(([key, value]) => {
    if (key === ID_FIELD.key) return ID_FIELD;
    if (key === VERSION_KEY) return VERSION_FIELD;
    const label = titleCase(key.replace(/_+/g, ' '))
      .replace(/\bId\b/g, 'ID')
      .replace(/\bUrl\b/g, 'URL');
    const type = inferType(value);
    return type === undefined ? { key, label } : { key, label, type };
  });
}

function inferType(value: unknown): ZapierFieldType | undefined {
  if (typeof value === 'boolean') return 'boolean';
  // One sample cannot tell an integer field from a number field that happened to be whole.
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return undefined;
}
