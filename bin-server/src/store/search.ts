import type { CapturedRequest, RequestPage } from './types.js';

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

type Searched = Pick<CapturedRequest, 'method' | 'path' | 'query' | 'rawHeaders' | 'body'>;

function requestMatches(needle: string, request: Searched): boolean {
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

/**
 * The text a search index holds for a request: each string requestMatches looks in, lower-cased
 * the same way, one per line. Whatever requestMatches finds is a substring of it, so an index
 * lookup of the lower-cased needle never misses a match; a hit that spans two lines is not one,
 * and requestMatches drops it when the candidates are checked. NUL (which PostgreSQL text cannot
 * hold) becomes a line break too: a needle with a NUL is not looked up (indexedNeedle).
 */
export function searchText(request: Searched): string {
  const target = `${request.path}?${request.query}`;
  const parts = [`${request.method} ${target}`.toLowerCase()];
  if (target.includes('%') || target.includes('+')) parts.push(decoded(target).toLowerCase());
  const headers = request.rawHeaders;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    parts.push(`${headers[i]}: ${headers[i + 1]}`.toLowerCase());
  }
  if (request.body.byteLength > 0) parts.push(utf8.decode(request.body).toLowerCase());
  return parts.join('\n').replaceAll('\0', '\n');
}

/**
 * The needle as a trigram index looks it up (lower-cased like searchText), or undefined where an
 * index cannot answer and the budgeted scan does: fewer than three characters make no trigram,
 * and the indexed text holds no NUL.
 */
export function indexedNeedle(q: string): string | undefined {
  const lower = q.toLowerCase();
  if (lower.includes('\0') || [...lower].length < 3) return undefined;
  return lower;
}

/** A search whose page is complete: every row the index proposes is checked, no budget. */
export const unlimited: SearchBudget = { rows: Infinity, bytes: Infinity };

/** What a search reads of each scanned row (the drivers' request rows). */
export interface ScannedRow {
  seq: number;
  size: number;
  method: string;
  path: string;
  query: string;
  raw_headers: string;
  body: Uint8Array;
}

/**
 * One page of a text search that scans rows newest first within a budget: a page that ran out of
 * budget comes back short, with a cursor to continue from where the scan stopped. Fed one row at a
 * time, so a driver can scan synchronously (SQLite: no other statement may run on the connection
 * mid-scan) or in fetched chunks (PostgreSQL), with the same rules.
 */
export class SearchScan<R extends ScannedRow> {
  private readonly items: RequestPage['items'] = [];
  private scanned = 0;
  private bytes = 0;
  private lastScanned: number | undefined;

  constructor(
    private readonly needle: string,
    private readonly limit: number,
    private readonly budget: SearchBudget,
    private readonly shape: (row: R) => RequestPage['items'][number],
  ) {}

  /** Examines one more row; returns the page once it is full or the budget is spent. */
  add(row: R): RequestPage | undefined {
    const { items, limit, budget } = this;
    if (items.length === limit) return { items, nextBefore: items[limit - 1]!.seq };
    if (this.scanned >= budget.rows || this.bytes >= budget.bytes) {
      return { items, nextBefore: this.lastScanned };
    }
    this.scanned += 1;
    this.bytes += row.size;
    this.lastScanned = row.seq;
    const request = {
      method: row.method,
      path: row.path,
      query: row.query,
      rawHeaders: JSON.parse(row.raw_headers) as string[],
      body: row.body,
    };
    if (requestMatches(this.needle, request)) items.push(this.shape(row));
    return undefined;
  }

  /** The page when the rows ran out: the last one. */
  end(): RequestPage {
    return { items: this.items, nextBefore: undefined };
  }

  /** Scans `rows` until the page is full, the budget is spent or the rows run out. */
  pageOf(rows: Iterable<R>): RequestPage {
    for (const row of rows) {
      const page = this.add(row);
      if (page) return page;
    }
    return this.end();
  }

  /** The same over rows fetched as the scan goes. */
  async pageOfAsync(rows: AsyncIterable<R>): Promise<RequestPage> {
    for await (const row of rows) {
      const page = this.add(row);
      if (page) return page;
    }
    return this.end();
  }
}
