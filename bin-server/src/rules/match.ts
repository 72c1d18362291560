import picomatch from 'picomatch';
import type { ResponseRule, RuleCondition, RuleMatch } from '../store/types.js';
import { headerMap, jsonOf, queryMap, valueAt, type RuleRequest } from './request.js';

/** How globs are read: `*` stays within a segment, `**` crosses them, dot-files match too. */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { strictBrackets: true, dot: true };

const compiled = new Map<string, (path: string) => boolean>();

/** Throws (with picomatch's message) when the glob does not parse. */
export function compileGlob(glob: string): (path: string) => boolean {
  let test = compiled.get(glob);
  if (!test) {
    const re = picomatch.makeRe(glob, GLOB_OPTIONS);
    test = (path) => re.test(path);
    // A bounded cache: globs come from saved rules, a few per bin.
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(glob, test);
  }
  return test;
}

/** A JSON value as conditions compare it: strings as they are, numbers and booleans as text. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return undefined;
}

function holds(condition: RuleCondition, value: unknown): boolean {
  if (condition.exists !== undefined) return (value !== undefined) === condition.exists;
  const text = asText(value);
  if (text === undefined) return false;
  if (condition.equals !== undefined) return text === condition.equals;
  if (condition.oneOf !== undefined) return condition.oneOf.includes(text);
  return false;
}

/** The request's parts, worked out once per request and only when a rule asks for them. */
class Parts {
  private headers?: Map<string, string>;
  private query?: Map<string, string>;
  private json?: { value: unknown };
  constructor(readonly request: RuleRequest) {}
  header(name: string): string | undefined {
    this.headers ??= headerMap(this.request.rawHeaders);
    return this.headers.get(name.toLowerCase());
  }
  param(name: string): string | undefined {
    this.query ??= queryMap(this.request.query);
    return this.query.get(name);
  }
  field(path: string): unknown {
    this.json ??= { value: jsonOf(this.request.body) };
    return valueAt(this.json.value, path);
  }
}

function matches(match: RuleMatch, parts: Parts): boolean {
  const { request } = parts;
  if (match.methods && !match.methods.includes(request.method.toUpperCase())) return false;
  if (match.path !== undefined && !compileGlob(match.path)(request.path)) return false;
  if (match.events && (request.event === undefined || !match.events.includes(request.event))) {
    return false;
  }
  if (match.query?.some((c) => !holds(c, parts.param(c.field)))) return false;
  if (match.headers?.some((c) => !holds(c, parts.header(c.field)))) return false;
  if (match.body?.some((c) => !holds(c, parts.field(c.field)))) return false;
  return true;
}

/** The index of the first rule whose match holds, or undefined: the bin's default answers. */
export function firstMatch(
  rules: readonly ResponseRule[],
  request: RuleRequest,
): number | undefined {
  const parts = new Parts(request);
  const index = rules.findIndex((rule) => matches(rule.match, parts));
  return index < 0 ? undefined : index;
}

/** True when a rule looks at the recognised event (capture then recognises before matching). */
export function needsEvent(rules: readonly ResponseRule[]): boolean {
  return rules.some((rule) => rule.match.events !== undefined);
}
