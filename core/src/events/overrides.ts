import { resolveEvent } from './catalog.js';
import { parsePayload } from './parse.js';
import type { FieldInfo, PayloadIssue } from './types.js';
import { isPlainObject } from './values.js';

/*
 * Overrides: change a few fields of a payload (the sample, a file, a scenario's) without writing
 * it out — `--set payment_total_raw=49.9`, `--set site.title=Demo` (dot paths reach into the nested
 * live shape), `--unset billing_zip_code`. Text from a command line is typed by the event's schema
 * (a number field gets a number); the result is checked against the schema and refused with its
 * issues unless forced. The CLI and the API both come here.
 */

export interface Overrides {
  /** Path → value. Strings are typed by the field (see `typeValue`); other JSON values are kept. */
  set?: Readonly<Record<string, unknown>>;
  /** Paths to remove. */
  unset?: readonly string[];
}

export type OverrideResult =
  | { ok: true; payload: Record<string, unknown>; issues: PayloadIssue[] }
  | { ok: false; payload: Record<string, unknown>; issues: PayloadIssue[] };

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `key=value` items (repeatable CLI flags) as a map; the value may contain `=`. */
export function parseAssignments(items: readonly string[]): Record<string, string> {
  const set: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0) {
      throw new Error(
        `--set ${item}: expected key=value, e.g. --set payment_total_raw=49.9 or --set site.title="My site".`,
      );
    }
    set[item.slice(0, at).trim()] = item.slice(at + 1);
  }
  return set;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A value typed by the kind of the field it goes into. */
function typeByField(field: FieldInfo, text: string, current: unknown): unknown {
  switch (field.type) {
    case 'integer':
    case 'number':
      if (text === 'null' || text === '') return null;
      return NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : text;
    case 'boolean': {
      if (text === 'null') return null;
      const lower = text.trim().toLowerCase();
      if (lower !== 'true' && lower !== 'false') return text;
      // The plugin sends domain booleans as the strings "true"/"false": keep the payload's form.
      return typeof current === 'string' ? lower : lower === 'true';
    }
    case 'json': {
      const parsed = parseJson(text);
      return parsed.ok ? parsed.value : text;
    }
    case 'datetime':
      return text === 'null' ? null : text;
    default:
      return text;
  }
}

/** A value for a key the schema does not type (nested or add-on keys): like the value it replaces. */
function typeByCurrent(text: string, current: unknown): unknown {
  if (typeof current === 'string') return text;
  if (typeof current === 'number') return NUMBER_TEXT.test(text.trim()) ? Number(text) : text;
  if (typeof current === 'boolean') {
    const lower = text.trim().toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** The value `raw` becomes at `path` of an `eventId` payload whose current value there is `current`. */
export function typeValue(eventId: string, path: string, raw: unknown, current: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const field = path.includes('.')
    ? undefined
    : resolveEvent(eventId).fields.find((f) => f.key === path);
  return field ? typeByField(field, raw, current) : typeByCurrent(raw, current);
}

function refusal(path: string, message: string): PayloadIssue {
  return { path, code: 'value', severity: 'error', message };
}

/** The object holding the last segment of `path`, or why there is none. */
function parentOf(
  root: Record<string, unknown>,
  parts: readonly string[],
): Record<string, unknown> | string {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]!];
    if (!isPlainObject(next)) {
      const at = parts.slice(0, i + 1).join('.');
      return next === undefined
        ? `the payload has nothing at "${at}"`
        : `"${at}" is not an object in this payload`;
    }
    node = next;
  }
  return node;
}

function validPath(path: string): boolean {
  return path.split('.').every((part) => part !== '' && part !== '__proto__');
}

/**
 * `payload` with `overrides` applied (a copy; the input is not changed), checked against
 * `eventId`'s schema. Refused (ok false) when a path cannot be set or the result fails the
 * schema, unless `force`; issues are returned either way.
 */
export function applyOverrides(
  eventId: string,
  payload: Readonly<Record<string, unknown>>,
  overrides: Overrides,
  force = false,
): OverrideResult {
  const result = structuredClone(payload) as Record<string, unknown>;
  const problems: PayloadIssue[] = [];
  for (const [path, raw] of Object.entries(overrides.set ?? {})) {
    if (!validPath(path)) {
      problems.push(
        refusal(path, `"${path}" is not a field path (e.g. payment_total_raw or site.title).`),
      );
      continue;
    }
    const parts = path.split('.');
    const parent = parentOf(result, parts);
    if (typeof parent === 'string') {
      problems.push(refusal(path, `cannot set ${path}: ${parent}.`));
      continue;
    }
    const key = parts[parts.length - 1]!;
    parent[key] = typeValue(eventId, path, raw, parent[key]);
  }
  for (const path of overrides.unset ?? []) {
    const parts = path.split('.');
    const parent = validPath(path) ? parentOf(result, parts) : 'not a field path';
    const key = parts[parts.length - 1]!;
    if (typeof parent === 'string' || !(key in parent)) {
      problems.push(refusal(path, `cannot unset ${path}: the payload has no such field.`));
      continue;
    }
    delete parent[key];
  }
  const checked = parsePayload(eventId, result);
  const issues = [...problems, ...checked.issues];
  const ok = force || (problems.length === 0 && checked.ok);
  return { ok, payload: result, issues };
}
