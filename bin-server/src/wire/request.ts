import type { Candidate, PayloadIssue } from '@umhooks/core';
import { z } from 'zod';
import { contentTypeOf } from '../store/columns.js';
import type { AnswerRecord, CapturedRequest, RequestSummary } from '../store/types.js';
import { headerLine, isoDate } from './fields.js';
import { placedJsonError } from './json-error.js';
import { checkSignature, signatureJson, type SignatureJson } from './signature.js';

// core's PayloadIssue and Candidate as JSON, kept to core's keys and types at compile time.
const issueCodes = [
  'missing',
  'type',
  'value',
  'not_object',
] as const satisfies readonly PayloadIssue['code'][];
const severities = ['error', 'warning'] as const satisfies readonly PayloadIssue['severity'][];

export const payloadIssueJson = z.object({
  path: z.string(),
  code: z.enum(issueCodes),
  severity: z
    .enum(severities)
    .describe('`error`: the payload does not fit the event; `warning`: accepted, worth a look.'),
  message: z.string(),
} satisfies Record<keyof PayloadIssue, z.ZodType>) satisfies z.ZodType<PayloadIssue>;

export const candidateJson = z.object({
  event: z.string(),
  score: z.number().min(0).max(1),
  missing: z.array(z.string()),
  extra: z.array(z.string()),
  tie: z.boolean(),
} satisfies Record<keyof Candidate, z.ZodType>) satisfies z.ZodType<Candidate>;

const jsonErrorJson = z.object({
  message: z.string().describe('The parser’s reason, e.g. `Unexpected token } in JSON`.'),
  line: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Always in a whole request; a summary (list without bodies, live push) of a body over 4 KiB may leave the place out: it is found when the request is read whole.',
    ),
  column: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('In UTF-16 code units, as JavaScript counts; present with `line`.'),
});
export type JsonErrorJson = z.output<typeof jsonErrorJson>;

export const recognitionJson = z
  .object({
    expected: z.string().nullable().describe('Event named by a trailing path segment, if any.'),
    candidates: z
      .array(candidateJson)
      .describe(
        'Best first: the best match, the events tied with it and a few runners-up; with an expected event, that event’s own candidate is included too (last, when it ranks lower).',
      ),
    checked_event: z.string().nullable(),
    issues: z.array(payloadIssueJson),
    json_error: jsonErrorJson
      .nullable()
      .describe(
        'Set when the Content-Type claims JSON (`application/json`, `text/json`, `…+json`) and the body does not parse: the parser’s reason and where it stopped (1-based line and column).',
      ),
  })
  .describe('Which events a JSON body can be, and how it fails the checked event schema.');
export type RecognitionJson = z.output<typeof recognitionJson>;

/** Which of the bin's response rules answered a request, and how. */
const answerJson = z
  .object({
    rule: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe(
        "0-based index of the rule that answered; null: none matched (the bin's response).",
      ),
    rule_name: z.string().nullable(),
    status: z
      .number()
      .int()
      .nullable()
      .describe('The status sent; null when none was (reset, hang).'),
    fault: z
      .enum(['fail_first', 'fail_percent', 'reset', 'hang', 'trickle'])
      .nullable()
      .describe('The failure the rule injected into this answer, if any.'),
    detail: z
      .string()
      .nullable()
      .describe('How a counted fault applied, e.g. `match 2 of the first 3`.'),
  })
  .describe("How the bin's rules answered; null when the bin had no rules.");
type AnswerJson = z.output<typeof answerJson>;

function toAnswerJson(answer: AnswerRecord): AnswerJson {
  return {
    rule: answer.rule ?? null,
    rule_name: answer.ruleName ?? null,
    status: answer.status ?? null,
    fault: answer.fault ?? null,
    detail: answer.detail ?? null,
  };
}

/** A captured request without its body: list items with include_body=false and live pushes. */
export const requestSummaryJson = z.object({
  id: z.string(),
  bin_id: z.string(),
  seq: z.number().int().min(1),
  received_at: isoDate,
  method: z.string(),
  path: z.string().describe('Path after /b/<bin>, `/` when none; percent-encoding kept.'),
  query: z.string().describe('Raw query string without `?`.'),
  url: z.string().describe('Path and query as received after the bin.'),
  headers: z.array(headerLine).describe('In arrival order.'),
  remote_address: z.string(),
  size: z.number().int().min(0).describe('Body size in bytes.'),
  content_type: z.string(),
  recognition: recognitionJson.nullable(),
  answer: answerJson.nullable(),
  signature: signatureJson
    .nullable()
    .describe(
      "Standard Webhooks check (webhook-* or svix-* headers, exact bytes) against the bin's signing secret, as of the request's arrival (5 minutes tolerance); null when the bin has no secret.",
    ),
});
export type RequestSummaryJson = z.output<typeof requestSummaryJson>;

export const requestJson = requestSummaryJson.extend({
  body_base64: z.string().describe('The exact body bytes, base64.'),
  body_text: z.string().nullable().describe('The body as text when it is valid UTF-8, else null.'),
});
export type RequestJson = z.output<typeof requestJson>;

export const requestPageJson = z.object({
  items: z
    .array(z.union([requestJson, requestSummaryJson]))
    .describe('Newest first: RequestJson, or RequestSummaryJson with include_body=false.'),
  next_cursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null at the end.'),
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function headerPairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** `signature`: the request's check with its bin's secret, null when the bin has none. */
export function toRequestSummaryJson(
  request: RequestSummary,
  signature: SignatureJson | null,
): RequestSummaryJson {
  const recognition = request.recognition;
  return {
    id: request.id,
    bin_id: request.binId,
    seq: request.seq,
    received_at: new Date(request.receivedAt).toISOString(),
    method: request.method,
    path: request.path,
    query: request.query,
    url: request.query ? `${request.path}?${request.query}` : request.path,
    headers: headerPairs(request.rawHeaders),
    remote_address: request.remoteAddress,
    size: request.size,
    content_type: request.contentType,
    recognition: recognition
      ? {
          expected: recognition.expected ?? null,
          candidates: recognition.candidates,
          checked_event: recognition.checkedEvent ?? null,
          issues: recognition.issues,
          json_error: recognition.jsonError ?? null,
        }
      : null,
    answer: request.answer ? toAnswerJson(request.answer) : null,
    signature,
  };
}

export function summarize(
  request: CapturedRequest,
  contentType = contentTypeOf(request.rawHeaders),
): RequestSummary {
  const { body, ...rest } = request;
  return { ...rest, size: body.byteLength, contentType };
}

/** The whole request; `signingSecret` is its bin's (a `signature` check comes with it). */
export function toRequestJson(request: CapturedRequest, signingSecret?: string): RequestJson {
  let text: string | null;
  try {
    text = utf8.decode(request.body);
  } catch {
    text = null;
  }
  const summary = toRequestSummaryJson(
    summarize(request),
    signingSecret === undefined ? null : checkSignature(request, signingSecret),
  );
  const jsonError = request.recognition?.jsonError;
  if (summary.recognition && jsonError?.line === undefined && jsonError !== undefined) {
    summary.recognition.json_error = placedJsonError(jsonError, request.body);
  }
  return {
    ...summary,
    body_base64: Buffer.from(
      request.body.buffer,
      request.body.byteOffset,
      request.body.byteLength,
    ).toString('base64'),
    body_text: text,
  };
}
