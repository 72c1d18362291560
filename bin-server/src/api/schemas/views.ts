import type { Candidate, PayloadIssue } from '@umhooks/core';
import { z } from 'zod';
import type { BinJson } from '../../wire/bin.js';
import type { RecognitionJson, RequestJson, RequestSummaryJson } from '../../wire/request.js';
import { assertSame, type Same } from './assert.js';

// The API's answers as zod schemas: the OpenAPI document is generated from them, and the tests
// parse real answers with them. The assertSame lines below fail to compile if views/ changes.

const isoDate = z.iso.datetime().describe('ISO 8601 date-time, UTC.');
const headerPair = z
  .tuple([z.string(), z.string()])
  .describe('[name, value] with the original case; duplicates are kept as separate pairs.');

export const errorJson = z
  .object({
    error: z.string().describe('Machine-readable code, e.g. `bin_not_found`, `invalid_request`.'),
    message: z.string().describe('What was wrong and what to do, in plain words.'),
    field: z
      .string()
      .optional()
      .describe('For `invalid_request`: the field at fault, e.g. `response.status` or `limit`.'),
  })
  .describe('Every error answer.');

export const binResponseJson = z
  .object({
    status: z.number().int().min(100).max(599),
    headers: z.array(headerPair).max(10),
    body: z.string(),
    delay_ms: z.number().int().min(0).max(30_000),
  })
  .describe('What the bin answers to captured requests.');

export const binJson = z.object({
  id: z.string(),
  name: z.string(),
  url: z.url().describe('The capture URL: paste it into a webhook sender.'),
  created_at: isoDate,
  last_used_at: isoDate,
  expires_at: isoDate.describe('When the bin is deleted unless it is used (UI/API) before.'),
  request_count: z.number().int().min(0).describe('Requests ever captured, evicted ones included.'),
  evicted_count: z.number().int().min(0).describe('Requests pushed out by the per-bin cap.'),
  response: binResponseJson
    .nullable()
    .describe('The custom response; null = the default 200 JSON answer.'),
  signing_secret: z
    .string()
    .nullable()
    .describe(
      'The Standard Webhooks secret (`whsec_…`) of the sender posting here; each request read comes with a `signature` check. Null: none.',
    ),
});

export const payloadIssueJson = z.object({
  path: z.string(),
  code: z.enum(['missing', 'type', 'value', 'not_object']),
  severity: z
    .enum(['error', 'warning'])
    .describe('`error`: the payload does not fit the event; `warning`: accepted, worth a look.'),
  message: z.string(),
});

export const candidateJson = z.object({
  event: z.string(),
  score: z.number().min(0).max(1),
  missing: z.array(z.string()),
  extra: z.array(z.string()),
  tie: z.boolean(),
});

export const recognitionJson = z
  .object({
    expected: z.string().nullable().describe('Event named by a trailing path segment, if any.'),
    candidates: z.array(candidateJson),
    checked_event: z.string().nullable(),
    issues: z.array(payloadIssueJson),
  })
  .describe('Which events a JSON body can be, and how it fails the checked event schema.');

export const requestSummaryJson = z.object({
  id: z.string(),
  bin_id: z.string(),
  seq: z.number().int().min(1),
  received_at: isoDate,
  method: z.string(),
  path: z.string().describe('Path after /b/<bin>, `/` when none; percent-encoding kept.'),
  query: z.string().describe('Raw query string without `?`.'),
  url: z.string().describe('Path and query as received after the bin.'),
  headers: z.array(headerPair).describe('In arrival order.'),
  remote_address: z.string(),
  size: z.number().int().min(0).describe('Body size in bytes.'),
  content_type: z.string(),
  recognition: recognitionJson.nullable(),
});

export const signatureJson = z.object({
  valid: z.boolean(),
  reason: z
    .enum(['missing-header', 'bad-timestamp', 'too-old', 'too-new', 'no-signature', 'no-match'])
    .nullable()
    .describe('Why it does not verify; null when it does.'),
  message: z.string(),
});

export const requestJson = requestSummaryJson.extend({
  body_base64: z.string().describe('The exact body bytes, base64.'),
  body_text: z.string().nullable().describe('The body as text when it is valid UTF-8, else null.'),
  signature: signatureJson
    .nullable()
    .describe(
      "Standard Webhooks check (webhook-* or svix-* headers, exact bytes) against the bin's signing secret, as of the request's arrival (5 minutes tolerance); null when the bin has no secret.",
    ),
});

assertSame<Same<z.output<typeof binJson>, BinJson>>(true);
assertSame<Same<z.output<typeof payloadIssueJson>, PayloadIssue>>(true);
assertSame<Same<z.output<typeof candidateJson>, Candidate>>(true);
assertSame<Same<z.output<typeof recognitionJson>, RecognitionJson>>(true);
assertSame<Same<z.output<typeof requestSummaryJson>, RequestSummaryJson>>(true);
assertSame<Same<z.output<typeof requestJson>, RequestJson>>(true);

export const requestPageJson = z.object({
  items: z
    .array(z.union([requestJson, requestSummaryJson]))
    .describe('Newest first: RequestJson, or RequestSummaryJson with include_body=false.'),
  next_cursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null at the end.'),
});
