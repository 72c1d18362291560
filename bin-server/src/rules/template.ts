import Mustache from 'mustache';
import { headerMap, jsonOf, queryMap } from './request.js';
import type { RuleRequest } from './request.js';

/**
 * Rule bodies as Mustache templates (logic-less: names, sections, inverted sections, comments).
 * Decisions, documented in the README:
 * - No HTML escaping: `{{x}}` and `{{{x}}}` both insert the value as is. The answer goes to a
 *   webhook sender, not a page; capture answers carry `Content-Security-Policy: sandbox` anyway.
 * - No partials (`{{> name}}` is refused when the rules are saved) and no functions in the data:
 *   the data is plain JSON on null-prototype objects, so a name never reaches a prototype's
 *   members (`{{json.constructor}}` is empty) and nothing is ever called.
 * - Bounded: output beyond `limit` bytes, or more than MAX_STEPS section passes (a section over
 *   a long array nested in another), stops the render with an error instead of growing.
 */

/** Section passes one render may make. */
const MAX_STEPS = 100_000;

/** Why a template could not be rendered (or saved); the message says what to change. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Token = ReturnType<typeof Mustache.parse>[number];

function walk(tokens: readonly Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const children = token[4] as unknown;
    if (Array.isArray(children)) walk(children as Token[], visit);
  }
}

/** Checks that a template parses and uses no partials; throws TemplateError saying why not. */
export function checkTemplate(template: string): void {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template);
  } catch (error) {
    throw new TemplateError(`The template does not parse: ${(error as Error).message}.`);
  }
  walk(tokens, (token) => {
    if (token[0] === '>') {
      throw new TemplateError(
        `The template includes a partial ({{> ${token[1]}}}) at ${token[2]}; partials are not supported.`,
      );
    }
  });
}

/** JSON data rebuilt on null prototypes (arrays stay arrays: Array.isArray ignores prototypes). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = value.map(plain);
    Object.setPrototypeOf(copy, null);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[key] = plain(item);
    return copy;
  }
  return value;
}

/** What a template sees, besides the request itself. */
export interface TemplateContext {
  requestId: string;
  /** Epoch ms the request arrived. */
  receivedAt: number;
  /** Epoch ms of the answer. */
  now: number;
}

/**
 * The template's data (`{{json}}` or `{{headers}}` alone insert JSON): `id`, `method`, `path`, `query.<name>`, `query_string`,
 * `headers.<lower-case name>`, `body` (text), `json.<path>`, `event`, `received_at`, `now`.
 */
export function templateView(request: RuleRequest, context: TemplateContext): unknown {
  const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  return plain({
    id: context.requestId,
    method: request.method,
    path: request.path,
    query: Object.fromEntries(queryMap(request.query)),
    query_string: request.query,
    headers: Object.fromEntries(headerMap(request.rawHeaders)),
    body: body.toString('utf8'),
    json: jsonOf(request.body) ?? null,
    event: request.event ?? null,
    received_at: new Date(context.receivedAt).toISOString(),
    now: new Date(context.now).toISOString(),
  });
}

/** Renders `template` over `view`; throws TemplateError past `limit` bytes or MAX_STEPS. */
export function renderTemplate(template: string, view: unknown, limit: number): string {
  const writer = new Mustache.Writer();
  let bytes = 0;
  let steps = 0;
  const count = (text: string): string => {
    bytes += Buffer.byteLength(text);
    if (bytes > limit) {
      throw new TemplateError(`The template's output is larger than ${limit} bytes.`);
    }
    return text;
  };
  // Every byte of the output comes from one of these three; every section pass renders tokens.
  const { rawValue, renderTokens } = writer;
  const value = (token: string[], context: Mustache.Context): string => {
    const found: unknown = context.lookup(token[1]!);
    return found === null || found === undefined ? '' : count(asText(found));
  };
  writer.rawValue = (token) => count(rawValue.call(writer, token));
  writer.escapedValue = value;
  writer.unescapedValue = value;
  writer.renderTokens = (tokens, context, partials, original, config) => {
    if (++steps > MAX_STEPS) {
      throw new TemplateError(`The template makes more than ${MAX_STEPS} section passes.`);
    }
    return renderTokens.call(writer, tokens, context, partials, original, config);
  };
  return writer.render(template, view, {});
}

/** A value as inserted: text as is (never HTML-escaped), objects and arrays as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
