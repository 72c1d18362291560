import type { Candidate, PayloadIssue } from '@umhooks/core';
import { contentTypeOf } from '../store/columns.js';
import type { CapturedRequest, RequestSummary } from '../store/types.js';
import { checkSignature, type SignatureJson } from './signature.js';

export interface RecognitionJson {
  expected: string | null;
  candidates: Candidate[];
  checked_event: string | null;
  issues: PayloadIssue[];
}

/** A captured request without its body: list items with include_body=false and live pushes. */
export interface RequestSummaryJson {
  id: string;
  bin_id: string;
  seq: number;
  received_at: string;
  method: string;
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Path and query as received after the bin, e.g. `/payment_received?x=1`. */
  url: string;
  /** In arrival order, original case, duplicates kept. */
  headers: Array<[string, string]>;
  remote_address: string;
  size: number;
  content_type: string;
  recognition: RecognitionJson | null;
}

export interface RequestJson extends RequestSummaryJson {
  /** The exact bytes, base64. */
  body_base64: string;
  /** The body as text when it is valid UTF-8, else null (see body_base64). */
  body_text: string | null;
  /** Checked against the bin's signing secret; null when the bin has none. */
  signature: SignatureJson | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function headerPairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

export function toRequestSummaryJson(request: RequestSummary): RequestSummaryJson {
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
        }
      : null,
  };
}

export function summarize(request: CapturedRequest): RequestSummary {
  const { body, ...rest } = request;
  return { ...rest, size: body.byteLength, contentType: contentTypeOf(request.rawHeaders) };
}

/** The whole request; `signingSecret` is its bin's (a `signature` check comes with it). */
export function toRequestJson(request: CapturedRequest, signingSecret?: string): RequestJson {
  let text: string | null;
  try {
    text = utf8.decode(request.body);
  } catch {
    text = null;
  }
  return {
    ...toRequestSummaryJson(summarize(request)),
    body_base64: Buffer.from(
      request.body.buffer,
      request.body.byteOffset,
      request.body.byteLength,
    ).toString('base64'),
    body_text: text,
    signature: signingSecret === undefined ? null : checkSignature(request, signingSecret),
  };
}
