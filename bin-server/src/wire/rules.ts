import { z } from 'zod';
import { compileGlob } from '../rules/match.js';
import { checkTemplate } from '../rules/template.js';
import type { ResponseRule, RuleCondition, RuleFault, RuleMatch } from '../store/types.js';
import { MAX_RESPONSE_BODY_BYTES } from '../responders/limits.js';
import { headerName, headerValue } from './fields.js';

// A bin's response rules as the API takes and gives them (snake_case); the store keeps records.

const MAX_RULES = 50;
const MAX_CONDITIONS = 20;
const MAX_DELAY_MS = 30_000;

const statusMessage = 'must be an integer from 100 to 599';
const status = z
  .number({ error: statusMessage })
  .int({ error: statusMessage })
  .min(100, { error: statusMessage })
  .max(599, { error: statusMessage });
const delayMessage = `must be an integer from 0 to ${MAX_DELAY_MS} (milliseconds)`;
const delay = z
  .number({ error: delayMessage })
  .int({ error: delayMessage })
  .min(0, { error: delayMessage })
  .max(MAX_DELAY_MS, { error: delayMessage });
const text = (max: number) =>
  z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` });

const condition = z
  .strictObject({
    field: text(256)
      .min(1, { error: 'must not be empty' })
      .describe('Query parameter or header name (any case), or a JSON path such as `site.id`.'),
    equals: text(1024).optional().describe('The value, as text (JSON 42 equals "42").'),
    one_of: z
      .array(text(1024), { error: 'must be an array of strings' })
      .min(1, { error: 'must list at least one value' })
      .max(50, { error: 'must list at most 50 values' })
      .optional(),
    exists: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((c) => [c.equals, c.one_of, c.exists].filter((v) => v !== undefined).length === 1, {
    error: 'must have exactly one of "equals", "one_of" or "exists"',
  });
const conditions = z
  .array(condition, { error: 'must be an array of conditions' })
  .max(MAX_CONDITIONS, { error: `must have at most ${MAX_CONDITIONS} conditions` });

const globOk = (glob: string): boolean => {
  try {
    compileGlob(glob);
    return true;
  } catch {
    return false;
  }
};

const ruleMatch = z
  .strictObject({
    methods: z
      .array(
        z
          .string({ error: 'must be a string' })
          .regex(/^[A-Za-z]{1,20}$/, { error: 'must be an HTTP method such as POST' })
          .transform((m) => m.toUpperCase()),
      )
      .min(1, { error: 'must list at least one method (or leave "methods" out)' })
      .max(10, { error: 'must list at most 10 methods' })
      .optional(),
    path: text(512)
      .refine((p) => p.startsWith('/'), { error: 'must start with "/" (the path below the bin)' })
      .refine(globOk, {
        error:
          'is not a valid glob: check brackets, braces and parentheses are closed (escape a literal one with \\)',
      })
      .optional()
      .describe('A glob over the path below the bin: `/`, `/payments/*`, `/**` (picomatch).'),
    query: conditions.optional(),
    headers: conditions.optional(),
    body: conditions.optional().describe('Conditions on JSON body fields.'),
    events: z
      .array(text(100), { error: 'must be an array of event names' })
      .min(1, { error: 'must list at least one event (or leave "events" out)' })
      .max(50, { error: 'must list at most 50 events' })
      .optional()
      .describe('Any of these recognised events.'),
  })
  .describe('Every part given must hold; an empty match takes every request.');

const fault = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('fail_first'),
        count: z
          .number({ error: 'must be an integer from 1 to 1000' })
          .int({ error: 'must be an integer from 1 to 1000' })
          .min(1, { error: 'must be an integer from 1 to 1000' })
          .max(1000, { error: 'must be an integer from 1 to 1000' }),
        status: status.default(503),
      }),
      z.strictObject({
        kind: z.literal('fail_percent'),
        percent: z
          .number({ error: 'must be a number from 0 to 100' })
          .min(0, { error: 'must be a number from 0 to 100' })
          .max(100, { error: 'must be a number from 0 to 100' }),
        status: status.default(503),
        seed: z
          .number({ error: 'must be an integer from 0 to 4294967295' })
          .int({ error: 'must be an integer from 0 to 4294967295' })
          .min(0, { error: 'must be an integer from 0 to 4294967295' })
          .max(0xffffffff, { error: 'must be an integer from 0 to 4294967295' })
          .optional()
          .describe('Default: FNV-1a of "<bin id>/<rule index>".'),
      }),
      z.strictObject({ kind: z.literal('reset') }),
      z.strictObject({ kind: z.literal('hang') }),
      z.strictObject({
        kind: z.literal('trickle'),
        bytes_per_second: z
          .number({ error: 'must be an integer from 1 to 65536' })
          .int({ error: 'must be an integer from 1 to 65536' })
          .min(1, { error: 'must be an integer from 1 to 65536' })
          .max(65_536, { error: 'must be an integer from 1 to 65536' }),
      }),
    ],
    {
      error:
        'must have "kind" one of fail_first, fail_percent, reset, hang or trickle (see the API document)',
    },
  )
  .describe(
    'fail_first: `status` for the first `count` matches since the rules were saved; fail_percent: `status` for `percent` of matches (seeded: the same matches fail on every run); reset: close the connection without an answer; hang: never answer (the connection is closed after 2 minutes); trickle: send the body at `bytes_per_second`.',
  );

const rule = z
  .strictObject({
    name: text(100).default(''),
    match: ruleMatch.default({}),
    status: status.default(200),
    headers: z
      .array(z.tuple([headerName, headerValue], { error: 'must be a [name, value] pair' }), {
        error: 'must be an array of [name, value] pairs',
      })
      .max(10, { error: 'must have at most 10 headers' })
      .default([])
      .describe('Fixed values, never templated.'),
    body: z
      .string({ error: 'must be a string' })
      .refine((b) => Buffer.byteLength(b) <= MAX_RESPONSE_BODY_BYTES, {
        error: `must be at most ${MAX_RESPONSE_BODY_BYTES} bytes (10 KB) of UTF-8`,
      })
      .default(''),
    template: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .describe(
        'True: `body` is a Mustache template over the request (`{{method}}`, `{{path}}`, `{{query.x}}`, `{{headers.x-y}}`, `{{json.site.id}}`, `{{id}}`, `{{event}}`, `{{received_at}}`, `{{now}}`); values are inserted as is (no HTML escaping); output at most 10 KB.',
      ),
    delay_ms: delay.default(0),
    delay_max_ms: delay.optional().describe('With it, the delay is drawn from delay_ms..this.'),
    fault: fault.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.delay_max_ms !== undefined && r.delay_max_ms < r.delay_ms) {
      ctx.addIssue({
        code: 'custom',
        path: ['delay_max_ms'],
        message: 'must be at least delay_ms (the range is delay_ms..delay_max_ms)',
      });
    }
    if (!r.template) return;
    try {
      checkTemplate(r.body);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: (error as Error).message });
    }
  });

/** PUT /api/bins/:id/rules: the whole ordered list (an empty one removes every rule). */
export const rulesInput = z.strictObject({
  rules: z
    .array(rule, { error: 'must be an array of rules' })
    .max(MAX_RULES, { error: `must have at most ${MAX_RULES} rules` })
    .describe('In order: the first rule that matches answers; none: the bin’s response.'),
});
type RuleJson = z.output<typeof rule>;
type ConditionJson = z.output<typeof condition>;
/** The rules as the API gives them back: the input with its defaults filled in. */
export type RulesJson = z.output<typeof rulesInput>;

function toCondition(c: ConditionJson): RuleCondition {
  const out: RuleCondition = { field: c.field };
  if (c.equals !== undefined) out.equals = c.equals;
  if (c.one_of !== undefined) out.oneOf = c.one_of;
  if (c.exists !== undefined) out.exists = c.exists;
  return out;
}

function fromCondition(c: RuleCondition): ConditionJson {
  const out: ConditionJson = { field: c.field };
  if (c.equals !== undefined) out.equals = c.equals;
  if (c.oneOf !== undefined) out.one_of = c.oneOf;
  if (c.exists !== undefined) out.exists = c.exists;
  return out;
}

function toFault(f: NonNullable<RuleJson['fault']>): RuleFault {
  if (f.kind === 'trickle') return { kind: 'trickle', bytesPerSecond: f.bytes_per_second };
  if (f.kind === 'fail_percent') {
    return { kind: f.kind, percent: f.percent, status: f.status, seed: f.seed };
  }
  return f;
}

function fromFault(f: RuleFault): NonNullable<RuleJson['fault']> {
  if (f.kind === 'trickle') return { kind: 'trickle', bytes_per_second: f.bytesPerSecond };
  if (f.kind === 'fail_percent') {
    const out: NonNullable<RuleJson['fault']> = {
      kind: f.kind,
      percent: f.percent,
      status: f.status,
    };
    if (f.seed !== undefined) out.seed = f.seed;
    return out;
  }
  return f;
}

/** API rules to store records. */
export function toRules(input: RulesJson): ResponseRule[] {
  return input.rules.map((r) => {
    const m = r.match;
    const match: RuleMatch = {};
    if (m.methods) match.methods = m.methods;
    if (m.path !== undefined) match.path = m.path;
    if (m.query) match.query = m.query.map(toCondition);
    if (m.headers) match.headers = m.headers.map(toCondition);
    if (m.body) match.body = m.body.map(toCondition);
    if (m.events) match.events = m.events;
    const out: ResponseRule = {
      name: r.name,
      match,
      status: r.status,
      headers: r.headers,
      body: r.body,
      template: r.template,
      delayMs: r.delay_ms,
    };
    if (r.delay_max_ms !== undefined) out.delayMaxMs = r.delay_max_ms;
    if (r.fault) out.fault = toFault(r.fault);
    return out;
  });
}

/** Store records to the API's rules. */
export function toRulesJson(rules: readonly ResponseRule[]): RulesJson {
  return {
    rules: rules.map((r) => {
      const m = r.match;
      const match: RuleJson['match'] = {};
      if (m.methods) match.methods = m.methods;
      if (m.path !== undefined) match.path = m.path;
      if (m.query) match.query = m.query.map(fromCondition);
      if (m.headers) match.headers = m.headers.map(fromCondition);
      if (m.body) match.body = m.body.map(fromCondition);
      if (m.events) match.events = m.events;
      const out: RuleJson = {
        name: r.name,
        match,
        status: r.status,
        headers: r.headers,
        body: r.body,
        template: r.template,
        delay_ms: r.delayMs,
      };
      if (r.delayMaxMs !== undefined) out.delay_max_ms = r.delayMaxMs;
      if (r.fault) out.fault = fromFault(r.fault);
      return out;
    }),
  };
}

/** What POST /api/bins/:id/rules/preview answers. */
export const rulePreviewJson = z.object({
  rule: z
    .number()
    .int()
    .nullable()
    .describe("0-based index of the rule that answers; null: none (the bin's response)."),
  rule_name: z.string().nullable(),
  status: z.number().int().nullable().describe('The rule’s status (500 if its template fails).'),
  fault: z
    .string()
    .nullable()
    .describe('The rule’s fault kind: it may change the answer (the preview counts nothing).'),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.string().nullable().describe('The body as it would be sent, rendered; plain text.'),
  error: z.string().nullable().describe('Why the template could not be rendered, if it could not.'),
});
export type RulePreviewJson = z.output<typeof rulePreviewJson>;
