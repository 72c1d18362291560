import type { EventDefinition, FieldInfo, FieldType } from '@umhooks/core';
import { z } from 'zod';

// An event of core's catalog as JSON (/api/events, the UI, `umhooks events --json`).

const fieldTypes = [
  'string',
  'integer',
  'number',
  'boolean',
  'datetime',
  'url',
  'email',
  'html',
  'json',
] as const satisfies readonly FieldType[]; // toFieldJson assigns core's: none can be missing

export const fieldInfoJson = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  optional: z.boolean().describe('True when the plugin may omit the key.'),
  choices: z.array(z.string()).optional(),
  help: z.string().optional(),
  encodesAsFloat: z
    .boolean()
    .optional()
    .describe('PHP holds the value as a float: the plugin writes `29.0`, not `29`.'),
} satisfies Record<keyof FieldInfo, z.ZodType>); // exactly core's keys

const payload = z.record(z.string(), z.unknown());

export const eventJson = z.object({
  id: z.string().describe("The plugin's slug, e.g. `payment_received`."),
  name: z.string(),
  description: z.string(),
  when: z.string().describe('Completes "Triggers when …".'),
  since: z.string().describe('First plugin version that registers the event.'),
  delivery: z
    .enum(['webhook', 'log-only'])
    .describe('`log-only`: only Send Test Event posts it; real occurrences are not delivered.'),
  known: z.boolean(),
  blocks: z.array(z.enum(['customer', 'membership', 'payment', 'site', 'domain', 'billing'])),
  fields: z.array(fieldInfoJson).describe("Every top-level payload key, in the plugin's order."),
  sample: payload.describe('A realistic payload as a live delivery carries it.'),
  plugin_sample: payload.describe("What the plugin's Send Test Event posts."),
  deprecated_args: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe(
      'As the plugin reports it: usually 1.x field name → 2.x field name (some events list example values).',
    ),
});

export type EventJson = z.output<typeof eventJson>;

function toFieldJson(field: FieldInfo): z.output<typeof fieldInfoJson> {
  const json: z.output<typeof fieldInfoJson> = {
    key: field.key,
    label: field.label,
    type: field.type,
    optional: field.optional,
  };
  if (field.choices !== undefined) json.choices = [...field.choices];
  if (field.help !== undefined) json.help = field.help;
  if (field.encodesAsFloat !== undefined) json.encodesAsFloat = field.encodesAsFloat;
  return json;
}

export function toEventJson(event: EventDefinition): EventJson {
  return {
    id: event.id,
    name: event.name,
    description: event.description,
    when: event.when,
    since: event.since,
    delivery: event.delivery,
    known: event.known,
    blocks: [...event.blocks],
    fields: event.fields.map(toFieldJson),
    sample: { ...event.sample },
    plugin_sample: { ...event.pluginSample },
    deprecated_args: { ...event.deprecatedArgs },
  };
}
