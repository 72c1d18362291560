import { z } from 'zod';
import { blockFields, blockShape } from './blocks.js';
import { flattenIfNested } from './demo-site.js';
import type { EventSpec } from './event-specs.js';
import { fieldSchema, toFieldInfo, type FieldSpec } from './fields.js';
import { mockBlocks } from './plugin-samples.js';
import { realisticBlocks, SAMPLE_WU_VERSION } from './samples.js';
import type { BlockName, EventDefinition } from './types.js';

interface PlacedField {
  spec: FieldSpec;
  optional: boolean;
}

/** The event's keys in payload order, each with whether the plugin may leave it out. */
function placedFields(spec: EventSpec): PlacedField[] {
  const optionalBlocks = new Set<BlockName>(spec.optionalBlocks ?? []);
  return spec.parts.flatMap((part): PlacedField[] =>
    typeof part === 'string'
      ? (blockFields[part] as readonly FieldSpec[]).map((field) => ({
          spec: field,
          optional: (field.optional ?? false) || optionalBlocks.has(part),
        }))
      : [{ spec: part, optional: part.optional ?? false }],
  );
}

function buildSample(spec: EventSpec, source: 'sample' | 'plugin'): Record<string, unknown> {
  const blocks = source === 'sample' ? realisticBlocks : mockBlocks;
  const payload: Record<string, unknown> = {};
  for (const part of spec.parts) {
    Object.assign(payload, typeof part === 'string' ? blocks[part] : { [part.key]: part[source] });
  }
  if (source === 'sample') Object.assign(payload, spec.sampleOverrides);
  payload.wu_version = SAMPLE_WU_VERSION;
  return payload;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** An EventDefinition from its spec: fields, schema and both samples, frozen. */
export function composeEvent(spec: EventSpec): EventDefinition {
  const placed = placedFields(spec);
  // The zod schema is built on first use: most processes (a server answering its first request,
  // a CLI printing help) never parse an event, and building all of them took ~10 ms at import.
  let schema: z.ZodType<Record<string, unknown>> | undefined;
  const buildSchema = (): z.ZodType<Record<string, unknown>> => {
    const optionalBlocks = new Set<BlockName>(spec.optionalBlocks ?? []);
    // The event's shape is its blocks' shapes and its own fields, merged in payload order.
    const shape: Record<string, z.ZodType> = {};
    for (const part of spec.parts) {
      Object.assign(
        shape,
        typeof part === 'string'
          ? blockShape(part, optionalBlocks.has(part))
          : { [part.key]: fieldSchema(part) },
      );
    }
    // Unknown keys (add-ons, wu_version) pass through unchanged.
    const object = z.looseObject(shape);
    const built = spec.nestedLiveShape ? z.preprocess(flattenIfNested, object) : object;
    return built as unknown as z.ZodType<Record<string, unknown>>;
  };
  const definition: EventDefinition = {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    when: spec.when,
    since: spec.since,
    delivery: spec.delivery,
    known: true,
    blocks: deepFreeze(spec.parts.filter((part): part is BlockName => typeof part === 'string')),
    fields: deepFreeze(placed.map(({ spec: field, optional }) => toFieldInfo(field, optional))),
    get schema() {
      return (schema ??= buildSchema());
    },
    sample: deepFreeze(buildSample(spec, 'sample')),
    pluginSample: deepFreeze(buildSample(spec, 'plugin')),
    deprecatedArgs: deepFreeze({ ...spec.deprecatedArgs }),
  };
  return Object.freeze(definition);
}
