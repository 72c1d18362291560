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

export function toBinJson(bin: Bin, baseUrl: string, ttlMs: number): BinJson {
  return {
    id: bin.id,
    name: bin.name,
    url: `${baseUrl}/b/${bin.id}`,
    created_at: new Date(bin.createdAt).toISOString(),
    last_used_at: new Date(bin.lastUsedAt).toISOString(),
    expires_at: new Date(bin.lastUsedAt + ttlMs).toISOString(),
    request_count: bin.requestCount,
    evicted_count: bin.evictedCount,
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
