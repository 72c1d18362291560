import { z } from 'zod';
import type { Bin } from '../store/types.js';
import { headerLine, isoDate } from './fields.js';

export const binResponseJson = z
  .object({
    status: z.number().int().min(100).max(599),
    headers: z.array(headerLine).max(10),
    body: z.string(),
    delay_ms: z.number().int().min(0).max(30_000),
  })
  .describe('What the bin answers to captured requests.');

/** A bin as the API, the UI and `umhooks` print it (snake_case, ISO dates). */
export const binJson = z.object({
  id: z.string(),
  name: z.string(),
  url: z.url().describe('The capture URL: paste it into a webhook sender.'),
  created_at: isoDate,
  last_used_at: isoDate,
  expires_at: isoDate.describe('When the bin is deleted unless it is used (UI/API) before.'),
  request_count: z.number().int().min(0).describe('Requests ever captured, evicted ones included.'),
  evicted_count: z.number().int().min(0).describe('Requests pushed out by the per-bin cap.'),
  max_requests: z
    .number()
    .int()
    .min(1)
    .describe(
      'Requests the bin keeps (the newest; older ones are evicted): its own limit, else the server’s `--max-requests`.',
    ),
  own_max_requests: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe('The limit set for this bin (PATCH `max_requests`); null: the server’s.'),
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
export type BinJson = z.output<typeof binJson>;

/** What a bin's JSON depends on besides the bin: where the server is, its TTL and its limit. */
export interface BinJsonSettings {
  baseUrl(): string;
  ttlMs: number;
  /** The server's --max-requests. */
  maxRequests: number;
}

/** The requests a bin keeps: its own limit, never above the server's. */
export function keptRequests(bin: Bin, serverMax: number): number {
  return Math.min(bin.maxRequests ?? serverMax, serverMax);
}

export function toBinJson(bin: Bin, settings: BinJsonSettings): BinJson {
  const { ttlMs } = settings;
  return {
    id: bin.id,
    name: bin.name,
    url: `${settings.baseUrl()}/b/${bin.id}`,
    created_at: new Date(bin.createdAt).toISOString(),
    last_used_at: new Date(bin.lastUsedAt).toISOString(),
    expires_at: new Date(bin.lastUsedAt + ttlMs).toISOString(),
    request_count: bin.requestCount,
    evicted_count: bin.evictedCount,
    max_requests: keptRequests(bin, settings.maxRequests),
    own_max_requests: bin.maxRequests ?? null,
    response: bin.response
      ? {
          status: bin.response.status,
          headers: bin.response.headers,
          body: bin.response.body,
          delay_ms: bin.response.delayMs,
        }
      : null,
    signing_secret: bin.signingSecret ?? null,
  };
}
