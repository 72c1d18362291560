import type { Bin } from '../store/types.js';

/** A bin as the API, the UI and `umhooks` print it (snake_case, ISO dates). */
export interface BinJson {
  id: string;
  name: string;
  /** Paste this into a webhook sender. */
  url: string;
  created_at: string;
  last_used_at: string;
  /** When the bin is deleted unless it is used (UI/API) before. */
  expires_at: string;
  request_count: number;
  evicted_count: number;
  response: {
    status: number;
    headers: Array<[string, string]>;
    body: string;
    delay_ms: number;
  } | null;
  /** `whsec_…` of the sender posting here: requests are checked against it (`signature`). */
  signing_secret: string | null;
}

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
