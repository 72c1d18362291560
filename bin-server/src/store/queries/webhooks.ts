import type { WebhookPatch, WebhookQuery } from '../types.js';
import { patchColumns } from '../rows/webhooks.js';
import type { Where } from './where.js';

/** `%` and `_` are LIKE wildcards: a search for them means the characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What differs between drivers in the list's conditions. */
export interface WebhookFilterSql {
  /** `active` as the column stores it (0/1 in SQLite, a boolean in PostgreSQL). */
  active(value: boolean): number | boolean;
  /** The condition that the name, URL or event matches the LIKE `pattern`, case-insensitively. */
  search(pattern: string, where: Where): string;
}

/** The list's conditions, in the order every driver binds them: event, integration, active, search. */
export function webhookConditions(query: WebhookQuery, where: Where, sql: WebhookFilterSql): void {
  if (query.event !== undefined) where.and(`event = ${where.param(query.event)}`);
  if (query.integration !== undefined) {
    where.and(`integration = ${where.param(query.integration)}`);
  }
  if (query.active !== undefined) where.and(`active = ${where.param(sql.active(query.active))}`);
  if (query.search !== undefined && query.search !== '') {
    where.and(sql.search(likePattern(query.search), where));
  }
}

/**
 * The list's ORDER BY. orderby is a closed union (validated by the caller), so it is a column
 * name as it stands; `column` lets a driver add a collation. id breaks ties deterministically.
 */
export function webhookOrder(
  query: WebhookQuery,
  column: (name: WebhookQuery['orderby']) => string = (name) => name,
): string {
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  return query.orderby === 'id'
    ? `id ${direction}`
    : `${column(query.orderby)} ${direction}, id ${direction}`;
}

/** `column = placeholder` for each field the patch sets; `param` binds the value as given. */
export function patchAssignments(patch: WebhookPatch, param: (value: unknown) => string): string[] {
  const sets: string[] = [];
  for (const [key, column] of Object.entries(patchColumns) as Array<[keyof WebhookPatch, string]>) {
    if (!(key in patch)) continue;
    const value = patch[key];
    // undefined clears only the nullable column; elsewhere it means "unchanged".
    if (value === undefined && key !== 'dateLastFailed') continue;
    sets.push(`${column} = ${param(value)}`);
  }
  return sets;
}
