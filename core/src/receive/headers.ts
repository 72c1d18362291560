import type { ReceivedHeaders } from './types.js';

/** Reads one header by its lower-case name; repeated headers come back joined by a space. */
export type HeaderGetter = (name: string) => string | undefined;

/*
 * Repeated values are joined with a space, the separator of `webhook-signature` (several
 * signatures while a secret rotates), as verify() does for plain objects. A fetch `Headers`
 * joins repeats itself (with ", "), which is what it hands over.
 */
function fromPairs(pairs: Iterable<readonly [string, string]>): HeaderGetter {
  const values = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const seen = values.get(key);
    values.set(key, seen === undefined ? value : `${seen} ${value}`);
  }
  return (name) => values.get(name);
}

function* flatPairs(raw: readonly string[]): Generator<[string, string]> {
  for (let i = 0; i + 1 < raw.length; i += 2) yield [raw[i]!, raw[i + 1]!];
}

function isPairList(list: readonly unknown[]): list is readonly (readonly [string, string])[] {
  return list.every((entry) => Array.isArray(entry));
}

/** One way to read headers, whichever form the server gave them in. */
export function headerGetter(headers: ReceivedHeaders): HeaderGetter {
  if (Array.isArray(headers)) {
    const list = headers as readonly unknown[];
    if (isPairList(list)) return fromPairs(list);
    if (list.length % 2 !== 0 || !list.every((entry) => typeof entry === 'string')) {
      throw new TypeError(
        "headers: an array must be Node's rawHeaders ([name, value, name, value, …]) or [name, value] pairs.",
      );
    }
    return fromPairs(flatPairs(list as readonly string[]));
  }
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const source = headers as { get(name: string): string | null };
    return (name) => source.get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (typeof value === 'string') pairs.push([name, value]);
    else for (const item of value) pairs.push([name, item]);
  }
  return fromPairs(pairs);
}
