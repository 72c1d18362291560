import { z } from 'zod';
import type { FieldInfo, FieldType } from './types.js';
import {
  describeValue,
  normalizers,
  type KindValue,
  type Normalized,
  type ValueKind,
} from './values.js';

/** One payload key: how it is labelled for people and how its value is normalized. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: ValueKind;
  optional?: boolean;
  choices?: readonly string[];
  help?: string;
  encodesAsFloat?: boolean;
}

/** Tells parse.ts which kind of problem a zod issue describes. */
export type IssueKind = 'missing' | 'type';

const TYPE_OF_KIND: Readonly<Record<ValueKind, FieldType>> = {
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
  string: 'string',
  url: 'url',
  email: 'email',
  html: 'html',
  json: 'json',
};

export function toFieldInfo(spec: FieldSpec, optional = spec.optional ?? false): FieldInfo {
  const info: FieldInfo = {
    key: spec.key,
    label: spec.label,
    type: TYPE_OF_KIND[spec.kind],
    optional,
  };
  if (spec.choices) info.choices = spec.choices;
  if (spec.help) info.help = spec.help;
  if (spec.encodesAsFloat) info.encodesAsFloat = true;
  return info;
}

/** The schema of a present value of kind `K`: it outputs the normalizer's value type. */
type KindSchema<K extends ValueKind> = z.ZodType<KindValue[K], unknown>;

/**
 * The type of `fieldSchema(spec, optional)`: optional when the caller or the spec says so. The
 * event data types (event-data.ts) are the output types of objects made of these.
 */
export type FieldSchema<
  S extends FieldSpec,
  Optional extends boolean = false,
> = Optional extends true
  ? z.ZodOptional<KindSchema<S['kind']>>
  : S extends { optional: true }
    ? z.ZodOptional<KindSchema<S['kind']>>
    : KindSchema<S['kind']>;

/**
 * The zod schema of one key. A required key that is absent gets a `missing` issue naming it; a
 * value that cannot be normalized gets a `type` issue in plain words. Optional keys that are absent
 * stay absent (they are not added as undefined/null).
 */
export function fieldSchema<const S extends FieldSpec, Optional extends boolean = false>(
  spec: S,
  optional?: Optional,
): FieldSchema<S, Optional> {
  const normalize: (value: unknown) => Normalized = normalizers[spec.kind];
  const base = z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `${spec.key} is missing`,
        params: { issue: 'missing' satisfies IssueKind },
      });
      return z.NEVER;
    }
    const result = normalize(value);
    if (!result.ok) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `${spec.key} should be ${result.expected}, got ${describeValue(value)}`,
        params: { issue: 'type' satisfies IssueKind },
      });
      return z.NEVER;
    }
    return result.value;
  });
  // The normalizer of spec.kind produced the value, so the output is KindValue[S['kind']].
  return (optional || spec.optional ? base.optional() : base) as unknown as FieldSchema<
    S,
    Optional
  >;
}
