/**
 * What JSON.parse accepts silently but a careful API should not: nesting deeper than PHP's
 * json_decode allows (512; the plugin's side of every payload), a key given twice (JSON.parse
 * keeps the last one without a word) and a `\uD800`-style escape without its pair (it cannot be
 * stored as UTF-8, so it would come back as U+FFFD). One pass over a text JSON.parse accepted.
 */
export interface JsonTextFacts {
  /** The deepest nesting of objects and arrays, counting stops just past `maxDepth`. */
  depth: number;
  /** Where the first repeated key is, e.g. `response.headers` or `a.0.b`. */
  duplicateKey?: string;
  /** Where the first string or key with an unpaired surrogate escape is. */
  loneSurrogate?: string;
}

/** PHP's json_decode refuses nesting this deep (JSON_ERROR_DEPTH); WordPress answers 400. */
export const PHP_JSON_DEPTH = 512;

interface Frame {
  /** The keys seen so far when an object, undefined for an array. */
  keys: Set<string> | undefined;
  expectKey: boolean;
  at: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LONE_SURROGATE = /\p{Cs}/u;

function where(stack: Frame[], last?: string): string {
  const parts = stack.map((frame) => String(frame.at));
  if (last !== undefined) parts[parts.length - 1] = last;
  return parts.join('.');
}

/** Scans `text`, which must be valid JSON (parse it first); stops once deeper than `maxDepth`. */
export function inspectJsonText(text: string, maxDepth = PHP_JSON_DEPTH): JsonTextFacts {
  const facts: JsonTextFacts = { depth: 0 };
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      while (text.charCodeAt(end) !== QUOTE) {
        if (text.charCodeAt(end) === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      const token = text.slice(i, end + 1);
      i = end + 1;
      const value = escaped ? (JSON.parse(token) as string) : token.slice(1, -1);
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        if (top.keys.has(value)) facts.duplicateKey ??= where(stack, value);
        top.keys.add(value);
        top.at = value;
        top.expectKey = false;
      }
      if (escaped && LONE_SURROGATE.test(value)) facts.loneSurrogate ??= where(stack);
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ keys: c === 0x7b ? new Set() : undefined, expectKey: true, at: 0 });
      if (stack.length > facts.depth) facts.depth = stack.length;
      if (facts.depth > maxDepth) return facts;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1]!;
      if (top.keys) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
    i++;
  }
  return facts;
}
