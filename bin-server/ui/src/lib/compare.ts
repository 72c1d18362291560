import diff from 'microdiff';

type ChangeKind = 'added' | 'removed' | 'changed';

export interface HeaderChange {
  /** Lower-cased: header names are case-insensitive. */
  name: string;
  kind: ChangeKind | 'same';
  /** Every value received under the name, in order; empty when absent on that side. */
  left: string[];
  right: string[];
}

function byName(headers: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const values = map.get(key);
    if (values) values.push(value);
    else map.set(key, [value]);
  }
  return map;
}

/** Headers by name, in the left request's order and then the right's new names. */
export function diffHeaders(
  left: ReadonlyArray<readonly [string, string]>,
  right: ReadonlyArray<readonly [string, string]>,
): HeaderChange[] {
  const a = byName(left);
  const b = byName(right);
  const names = [...a.keys(), ...[...b.keys()].filter((name) => !a.has(name))];
  return names.map((name) => {
    const l = a.get(name) ?? [];
    const r = b.get(name) ?? [];
    const kind =
      l.length === 0
        ? 'added'
        : r.length === 0
          ? 'removed'
          : l.length === r.length && l.every((v, i) => v === r[i])
            ? 'same'
            : 'changed';
    return { name, kind, left: l, right: r };
  });
}

export interface FieldChange {
  /** `customer.email`, `items[0].amount`, `["odd key"]`; `(root)` for the whole body. */
  path: string;
  kind: ChangeKind;
  /** JSON text of the value before and after; absent on the side that lacks the field. */
  left?: string;
  right?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function fieldPath(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (IDENTIFIER.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/**
 * A JSON body parsed for diffJson, or undefined when it is not JSON. Objects get no prototype:
 * microdiff asks `key in object`, and a body's own `toString` or `constructor` key must not
 * meet Object.prototype's on the other side.
 */
export function parseForDiff(text: string | null): { value: unknown } | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text, (_key, v: unknown) =>
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.assign(Object.create(null) as object, v)
        : v,
    );
    return { value };
  } catch {
    return undefined;
  }
}

const json = (value: unknown) => JSON.stringify(value) ?? 'undefined';

const kinds = { CREATE: 'added', REMOVE: 'removed', CHANGE: 'changed' } as const;

/**
 * Two parsed JSON bodies compared field by field (microdiff: arrays by index). Values are JSON
 * text, shown as text. Throws RangeError on documents nested deeper than the stack allows.
 */
export function diffJson(left: unknown, right: unknown): FieldChange[] {
  const isContainer = (v: unknown) => typeof v === 'object' && v !== null;
  // microdiff walks objects and arrays; two scalars (or a scalar and a container) differ whole.
  if (!isContainer(left) || !isContainer(right) || Array.isArray(left) !== Array.isArray(right)) {
    return json(left) === json(right)
      ? []
      : [{ path: '(root)', kind: 'changed', left: json(left), right: json(right) }];
  }
  return diff(left as Record<string, unknown>, right as Record<string, unknown>).map((change) => {
    const path = fieldPath(change.path);
    switch (change.type) {
      case 'CREATE':
        return { path, kind: kinds.CREATE, right: json(change.value) };
      case 'REMOVE':
        return { path, kind: kinds.REMOVE, left: json(change.oldValue) };
      case 'CHANGE':
        return { path, kind: kinds.CHANGE, left: json(change.oldValue), right: json(change.value) };
    }
  });
}
