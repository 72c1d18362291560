import { toSummary, type FullRow } from '../rows/requests.js';
import type { RequestPage, RequestQuery } from '../types.js';
import { pageOf } from './pages.js';

type Item = RequestPage['items'][number];

/** What a list call filters on and returns, the same on every driver (the SQL is each driver's). */
export interface RequestListing {
  /** At least one. */
  limit: number;
  /** Whether the SQL filters on the method, and on the event. */
  method: boolean;
  event: boolean;
  /** The filters' values, in the order the drivers' SQL binds them: method, then event. */
  filters: string[];
  /** A row as the page holds it: with its body only when asked for. */
  shape: (row: FullRow) => Item;
}

const withBody = (row: FullRow): Item => ({ ...toSummary(row), body: row.body });

export function requestListing(query: RequestQuery): RequestListing {
  const filters: string[] = [];
  if (query.method) filters.push(query.method.toUpperCase());
  // Looked up in request_events (bin_id, event, seq): one row per event id of a request.
  if (query.event) filters.push(query.event);
  return {
    limit: Math.max(1, Math.floor(query.limit)),
    method: !!query.method,
    event: !!query.event,
    filters,
    shape: query.includeBody ? withBody : toSummary,
  };
}

/** The page from a listing query that asked for `limit + 1` rows (pages.ts). */
export function requestPage(rows: FullRow[], listing: RequestListing): RequestPage {
  const page = pageOf(rows, listing.limit);
  return { items: page.rows.map(listing.shape), nextBefore: page.nextBefore };
}
