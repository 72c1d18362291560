import { formPairs, isFormContentType } from './form.js';
import { boundaryOf, parseMultipart, type MultipartPart } from './multipart.js';
import { parseJsonText, type ParsedJson } from './json.js';

export type BodyView = 'json' | 'raw' | 'hex' | 'form' | 'parts';

export interface AnalyzedBody {
  bytes: Uint8Array;
  /** UTF-8 text, or null for binary / invalid UTF-8. */
  text: string | null;
  json: ParsedJson | null;
  form: Array<[string, string]> | null;
  parts: MultipartPart[] | null;
  /** Views that make sense for this body, the best first. */
  views: BodyView[];
}

/** Above this, the JSON tree starts collapsed below the top level (rendering cost). */
export const LARGE_JSON_NODES = 4000;

export function analyzeBody(
  bytes: Uint8Array,
  text: string | null,
  contentType: string,
): AnalyzedBody {
  const boundary = boundaryOf(contentType);
  const parts = boundary ? parseMultipart(bytes, boundary) : null;
  const json = text !== null && bytes.length <= 20 * 1024 * 1024 ? parseJsonText(text) : null;
  const form = text !== null && isFormContentType(contentType) ? formPairs(text) : null;
  const views: BodyView[] = [];
  if (parts && parts.length > 0) views.push('parts');
  if (form) views.push('form');
  if (json) views.push('json');
  if (text !== null) views.push('raw');
  // Binary bodies open on the hex dump; text bodies offer it last.
  views.push('hex');
  return { bytes, text, json, form, parts: parts && parts.length > 0 ? parts : null, views };
}
