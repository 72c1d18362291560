import { z } from 'zod';
import { contentTypeOf } from '../store/columns.js';
import type { CapturedRequest, Recognition } from '../store/types.js';
import { requestSummaryJson, summarize, toRequestSummaryJson } from './request.js';
import { checkSignature } from './signature.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line of a bin's JSON lines export: the request's metadata, event, verdict and body. */
export const exportLineJson = requestSummaryJson.extend({
  event: z
    .string()
    .describe(
      'The recognised event: the one the URL named, else the best match (ties as `a or b`) when at least half its keys match; empty when none.',
    ),
  body: z.string().describe('The exact body: text when it is valid UTF-8, else base64.'),
  body_encoding: z
    .enum(['utf8', 'base64'])
    .describe('`utf8` when `body` is the text itself, `base64` when the bytes are not UTF-8.'),
});
export type ExportLineJson = z.output<typeof exportLineJson>;

/**
 * The event a request is recognised as, in words: the expected one, else the best candidates when
 * the server judged them close enough to check (`checkedEvent` is set from the same bar).
 */
function recognisedEvent(recognition: Recognition | undefined): string {
  if (!recognition) return '';
  if (recognition.expected) return recognition.expected;
  if (!recognition.checkedEvent) return '';
  const top = recognition.candidates[0];
  if (!top) return recognition.checkedEvent;
  return recognition.candidates
    .filter((c) => c.score === top.score)
    .map((c) => c.event)
    .join(' or ');
}

export function toExportLine(request: CapturedRequest, signingSecret?: string): ExportLineJson {
  let body: string;
  let encoding: ExportLineJson['body_encoding'];
  const bytes = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  try {
    body = utf8.decode(request.body);
    encoding = 'utf8';
  } catch {
    body = bytes.toString('base64');
    encoding = 'base64';
  }
  const { signature, ...summary } = toRequestSummaryJson(
    summarize(request),
    signingSecret === undefined ? null : checkSignature(request, signingSecret),
  );
  // The line's keys in their documented order: the verdict after the event.
  return {
    ...summary,
    event: recognisedEvent(request.recognition),
    signature,
    body,
    body_encoding: encoding,
  };
}

/** The CSV export's columns, in order (a header row names them). */
export const CSV_COLUMNS = [
  'id',
  'received_at',
  'method',
  'path',
  'query',
  'content_type',
  'size',
  'event',
  'signature',
] as const;

/** A request's CSV cells (metadata only), in CSV_COLUMNS order. */
export function toCsvCells(request: CapturedRequest, signingSecret?: string): string[] {
  const verdict = signingSecret === undefined ? null : checkSignature(request, signingSecret);
  return [
    request.id,
    new Date(request.receivedAt).toISOString(),
    request.method,
    request.path,
    request.query,
    contentTypeOf(request.rawHeaders),
    String(request.body.byteLength),
    recognisedEvent(request.recognition),
    verdict ? (verdict.valid ? 'valid' : (verdict.reason ?? 'invalid')) : '',
  ];
}
