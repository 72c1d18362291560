import type { Bin, BinResponse, ResponseRule } from '../types.js';

// Bins' rows as every driver reads and writes them.

export interface BinRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number;
  response: string | null;
  request_count: number;
  evicted_count: number;
  signing_secret: string | null;
  max_requests: number | null;
  rules: string | null;
}

export function toBin(row: BinRow): Bin {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    response: row.response === null ? undefined : (JSON.parse(row.response) as BinResponse),
    requestCount: row.request_count,
    evictedCount: row.evicted_count,
    signingSecret: row.signing_secret ?? undefined,
    maxRequests: row.max_requests ?? undefined,
    rules: row.rules === null ? [] : (JSON.parse(row.rules) as ResponseRule[]),
  };
}

export function responseText(response: BinResponse | null | undefined): string | null {
  if (!response) return null;
  // Only the known fields: nothing else a caller attached ends up in the file.
  const { status, headers, body, delayMs } = response;
  return JSON.stringify({ status, headers, body, delayMs });
}

/** The rules as stored: NULL for none. Validated by the API before they get here. */
export function rulesText(rules: readonly ResponseRule[] | undefined): string | null {
  return rules === undefined || rules.length === 0 ? null : JSON.stringify(rules);
}
