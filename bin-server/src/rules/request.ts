import type { CapturedRequest } from '../store/types.js';

/** What rules look at: a request as captured (stored or about to be), with its event. */
export interface RuleRequest {
  method: string;
  /** Below the bin, `/` when none. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  rawHeaders: readonly string[];
  body: Uint8Array;
  /** The recognised event (the checked one, or the one the URL names), if any. */
  event: string | undefined;
}

/** The event a request was recognised as: the one checked, else the one its URL names. */
export function eventOf(request: Pick<CapturedRequest, 'recognition'>): string | undefined {
  return request.recognition?.checkedEvent ?? request.recognition?.expected;
}

/** Header values by lower-case name; repeated headers joined with `, ` (RFC 9110). */
export function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    const before = map.get(name);
    map.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return map;
}

/** Query parameters by name; the first value of a repeated one. */
export function queryMap(query: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) if (!map.has(name)) map.set(name, value);
  return map;
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function jsonOf(body: Uint8Array): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The value at a dotted path (`site.id`, `items.0.sku`) of parsed JSON; undefined when absent.
 * Only own properties: a path never reaches an object's prototype.
 */
export function valueAt(json: unknown, path: string): unknown {
  let value = json;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
