import type { AnswerRecord, Bin, ResponseRule, Store } from '../store/types.js';
import { applyFault, faultSeed, isCounted, type FaultOutcome } from './faults.js';
import { firstMatch } from './match.js';
import type { RuleRequest } from './request.js';
import { renderTemplate, TemplateError, templateView, type TemplateContext } from './template.js';

/** What to do with a request the rules answered. */
export type RuleAction =
  /** No rule matched: the bin's configured response, or the default answer. */
  | { kind: 'default' }
  | {
      kind: 'send';
      status: number;
      headers: Array<[string, string]>;
      body: string;
      delayMs: number;
      /** Set: send the body at this rate (trickle fault). */
      bytesPerSecond?: number | undefined;
    }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface RulePlan {
  record: AnswerRecord;
  action: RuleAction;
}

/** The answer of an injected error status: JSON saying which rule and why. */
function errorBody(rule: ResponseRule, index: number, detail: string): string {
  const label = rule.name ? `"${rule.name}"` : `#${index}`;
  return JSON.stringify({
    error: 'injected_failure',
    message: `Rule ${label} fails this request on purpose (${detail}).`,
  });
}

/** The rule's body: its text, or its template rendered (a render error answers 500). */
function ruleBody(
  rule: ResponseRule,
  request: RuleRequest,
  context: TemplateContext,
  limit: number,
): { status: number; body: string; error?: string } {
  if (!rule.template) return { status: rule.status, body: rule.body };
  try {
    return {
      status: rule.status,
      body: renderTemplate(rule.body, templateView(request, context), limit),
    };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const body = JSON.stringify({ error: 'template_failed', message: error.message });
    return { status: 500, body, error: error.message };
  }
}

/** The rule's headers, with a JSON content type unless they name one. */
function withJsonType(headers: Array<[string, string]>): Array<[string, string]> {
  if (headers.some(([name]) => name.toLowerCase() === 'content-type')) return headers;
  return [...headers, ['content-type', 'application/json; charset=utf-8']];
}

function drawDelay(rule: ResponseRule, random: () => number): number {
  if (rule.delayMaxMs === undefined || rule.delayMaxMs <= rule.delayMs) return rule.delayMs;
  return rule.delayMs + Math.floor(random() * (rule.delayMaxMs - rule.delayMs + 1));
}

function decide(
  rule: ResponseRule,
  index: number,
  outcome: FaultOutcome,
  rendered: () => ReturnType<typeof ruleBody>,
  delayMs: number,
): RulePlan {
  const base = { rule: index, ruleName: rule.name || undefined };
  switch (outcome.kind) {
    case 'reset':
    case 'hang':
      return {
        record: { ...base, status: undefined, fault: outcome.kind },
        action: { kind: outcome.kind },
      };
    case 'error': {
      const fault = rule.fault!.kind;
      return {
        record: { ...base, status: outcome.status, fault, detail: outcome.detail },
        action: {
          kind: 'send',
          status: outcome.status,
          // The rule's headers go with every answer it sends (a `Retry-After` with the 503s).
          headers: withJsonType(rule.headers),
          body: errorBody(rule, index, outcome.detail),
          delayMs,
        },
      };
    }
    default: {
      const { status, body, error } = rendered();
      const trickle = outcome.kind === 'trickle' ? outcome.bytesPerSecond : undefined;
      const detail = error ?? (outcome.kind === 'none' ? outcome.detail : undefined);
      return {
        record: {
          ...base,
          status,
          fault: trickle !== undefined ? 'trickle' : undefined,
          ...(detail !== undefined ? { detail } : {}),
        },
        action: {
          kind: 'send',
          status,
          headers: error ? [['content-type', 'application/json; charset=utf-8']] : rule.headers,
          body,
          delayMs,
          bytesPerSecond: trickle,
        },
      };
    }
  }
}

/** Where the plan is made: the store (counts), the body limit and the draw of range delays. */
export interface PlanOptions {
  store: Store;
  /** Bytes a rendered body may have (the bin response bodies' limit). */
  limit: number;
  random?: () => number;
}

/**
 * Which of the bin's rules answers `request` and how, counting the match on the shared store when
 * the rule's fault needs it (first N, percentage). Undefined when the bin has no rules.
 */
export async function planAnswer(
  bin: Bin,
  request: RuleRequest,
  context: TemplateContext,
  options: PlanOptions,
): Promise<RulePlan | undefined> {
  if (bin.rules.length === 0) return undefined;
  const index = firstMatch(bin.rules, request);
  if (index === undefined) {
    return {
      record: {
        rule: undefined,
        ruleName: undefined,
        status: bin.response?.status ?? 200,
        fault: undefined,
      },
      action: { kind: 'default' },
    };
  }
  const rule = bin.rules[index]!;
  const n = isCounted(rule.fault) ? await options.store.bins.countMatch(bin.id, index) : 0;
  const seed = faultSeed(
    bin.id,
    index,
    rule.fault?.kind === 'fail_percent' ? rule.fault.seed : undefined,
  );
  const outcome = applyFault(rule.fault, n, seed);
  return decide(
    rule,
    index,
    outcome,
    () => ruleBody(rule, request, context, options.limit),
    drawDelay(rule, options.random ?? Math.random),
  );
}

/** What the preview shows: the rule that would answer and its body, nothing counted or sent. */
export interface Preview {
  rule: number | undefined;
  ruleName: string | undefined;
  status: number | undefined;
  fault: ResponseRule['fault'];
  headers: Array<[string, string]>;
  body: string | undefined;
  /** Set when the template could not be rendered. */
  error: string | undefined;
}

export function previewAnswer(
  rules: readonly ResponseRule[],
  request: RuleRequest,
  context: TemplateContext,
  limit: number,
): Preview {
  const index = firstMatch(rules, request);
  if (index === undefined) {
    return {
      rule: undefined,
      ruleName: undefined,
      status: undefined,
      fault: undefined,
      headers: [],
      body: undefined,
      error: undefined,
    };
  }
  const rule = rules[index]!;
  const { status, body, error } = ruleBody(rule, request, context, limit);
  return {
    rule: index,
    ruleName: rule.name || undefined,
    status,
    fault: rule.fault,
    headers: rule.headers,
    body,
    error,
  };
}
