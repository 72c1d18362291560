import type { WpRestError } from '@umhooks/core';
import type { WebhookQuery } from '../store/types.js';
import { wpError } from './wp-response.js';

const ORDERABLE = new Set<WebhookQuery['orderby']>([
  'id',
  'name',
  'event',
  'date_created',
  'date_modified',
  'event_count',
]);

/** BerlinDB's default page size for model queries. */
const DEFAULT_NUMBER = 100;
/** WordPress's collection cap for `per_page`. */
const MAX_PER_PAGE = 100;
/** `number` of 0 or less means "all" in BerlinDB; bounded here all the same. */
const ALL = 10_000;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function integer(value: unknown): number | undefined {
  const t = text(value)?.trim();
  return t !== undefined && /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

function bool(value: unknown): boolean | undefined {
  const t = text(value)?.trim().toLowerCase();
  if (t === '1' || t === 'true' || t === 'yes' || t === 'on') return true;
  if (t === '0' || t === 'false' || t === 'no' || t === 'off') return false;
  return undefined;
}

export interface ListPlan {
  query: WebhookQuery;
  /** Page size, for X-WP-TotalPages. */
  perPage: number;
}

/**
 * GET /webhook's parameters: BerlinDB's query vars (column filters `event`, `integration`,
 * `active`; `search`; `orderby`/`order`, default id DESC; `number`, default 100; `offset`) and the
 * newer `page`/`per_page` (1..100), which win when given.
 */
export function planList(params: Record<string, unknown>): ListPlan | WpRestError {
  const query: WebhookQuery = { orderby: 'id', order: 'desc', limit: DEFAULT_NUMBER, offset: 0 };
  const event = text(params.event);
  if (event !== undefined && event !== '') query.event = event;
  const integration = text(params.integration);
  if (integration !== undefined && integration !== '') query.integration = integration;
  const active = bool(params.active);
  if (active !== undefined) query.active = active;
  const search = text(params.search);
  if (search !== undefined && search !== '') query.search = search;
  const orderby = text(params.orderby)?.toLowerCase() as WebhookQuery['orderby'] | undefined;
  if (orderby && ORDERABLE.has(orderby)) query.orderby = orderby;
  if (text(params.order)?.toLowerCase() === 'asc') query.order = 'asc';

  const number = integer(params.number);
  if (number !== undefined) query.limit = number > 0 ? Math.min(number, ALL) : ALL;
  const offset = integer(params.offset);
  if (offset !== undefined && offset > 0) query.offset = offset;

  const perPageGiven = params.per_page !== undefined;
  const pageGiven = params.page !== undefined;
  if (perPageGiven || pageGiven) {
    const perPage = perPageGiven ? integer(params.per_page) : query.limit;
    if (perPage === undefined || perPage < 1 || perPage > MAX_PER_PAGE) {
      return invalidParam(
        'per_page',
        `per_page must be between 1 (inclusive) and ${MAX_PER_PAGE} (inclusive).`,
      );
    }
    const page = pageGiven ? integer(params.page) : 1;
    if (page === undefined || page < 1) {
      return invalidParam('page', 'page must be greater than or equal to 1');
    }
    query.limit = perPage;
    query.offset = (page - 1) * perPage + (offset !== undefined && offset > 0 ? offset : 0);
  }
  return { query, perPage: query.limit };
}

function invalidParam(name: string, message: string): WpRestError {
  return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${name}`, {
    params: { [name]: message },
  });
}
