import type { CapturedRequest } from './types.js';

/**
 * Text search over captured requests (`q=`), shared by drivers that scan in the process. Matching
 * is case-insensitive (Unicode lower case) over the method, the path and query (raw and
 * percent-decoded), the headers (`name: value` lines) and the body read as UTF-8.
 */
export interface SearchBudget {
  /** Rows a single list call may examine before it returns a partial page with a cursor. */
  rows: number;
  /** Body bytes a single list call may decode before it returns a partial page. */
  bytes: number;
}

export const defaultSearchBudget: SearchBudget = { rows: 20_000, bytes: 64 * 1024 * 1024 };

const utf8 = new TextDecoder('utf-8');

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function requestMatches(
  needle: string,
  request: Pick<CapturedRequest, 'method' | 'path' | 'query' | 'rawHeaders' | 'body'>,
): boolean {
  const lower = needle.toLowerCase();
  const target = `${request.path}?${request.query}`;
  if (`${request.method} ${target}`.toLowerCase().includes(lower)) return true;
  if (target.includes('%') || target.includes('+')) {
    if (decoded(target).toLowerCase().includes(lower)) return true;
  }
  const headers = request.rawHeaders;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (`${headers[i]}: ${headers[i + 1]}`.toLowerCase().includes(lower)) return true;
  }
  if (request.body.byteLength === 0) return false;
  return utf8.decode(request.body).toLowerCase().includes(lower);
}
