import { api, apiText, path } from './client.js';
import type {
  BinJson,
  DeliveryJson,
  DeliveryStatus,
  EventJson,
  FireResultJson,
  InfoJson,
  Page,
  ReplayJson,
  RequestSummaryJson,
  RequestWithReplaysJson,
  RuleJson,
  RulePreviewJson,
  RulesJson,
  TestResultJson,
  WebhookInput,
  WebhookJson,
} from './types.js';

export type BinResponseJson = NonNullable<BinJson['response']>;

export const getInfo = () => api<InfoJson>('/api/info');

// Bins -----------------------------------------------------------------------------------------

export const listBins = () => api<{ items: BinJson[] }>('/api/bins');
export const getBin = (id: string) => api<BinJson>(`/api/bins/${path(id)}`);
export const createBin = (input: { id?: string; name?: string }) =>
  api<BinJson>('/api/bins', { method: 'POST', body: input });
export const updateBin = (
  id: string,
  patch: {
    name?: string;
    response?: BinResponseJson | null;
    signing_secret?: string | null;
    max_requests?: number | null;
  },
) => api<BinJson>(`/api/bins/${path(id)}`, { method: 'PATCH', body: patch });
export const getRules = (id: string) => api<RulesJson>(`/api/bins/${path(id)}/rules`);
export const saveRules = (id: string, rules: RulesJson) =>
  api<RulesJson>(`/api/bins/${path(id)}/rules`, { method: 'PUT', body: rules });
export const previewRules = (id: string, input: { request_id: string; rules: RuleJson[] }) =>
  api<RulePreviewJson>(`/api/bins/${path(id)}/rules/preview`, { method: 'POST', body: input });
export const deleteBin = (id: string) => api<void>(`/api/bins/${path(id)}`, { method: 'DELETE' });

// Captured requests ----------------------------------------------------------------------------

export interface RequestFilters {
  q?: string;
  method?: string;
  event?: string;
}

/** A download of the bin's requests matching the filters (the list's), oldest first. */
export function binExportUrl(
  binId: string,
  format: 'har' | 'jsonl' | 'csv',
  filters: RequestFilters,
): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.method) params.set('method', filters.method);
  if (filters.event) params.set('event', filters.event);
  const query = params.size > 0 ? `?${params}` : '';
  return `/api/bins/${path(binId)}/${format}${query}`;
}

export function listRequests(
  binId: string,
  options: RequestFilters & { cursor?: string | null; limit?: number; signal?: AbortSignal },
): Promise<Page<RequestSummaryJson>> {
  const params = new URLSearchParams({
    include_body: 'false',
    limit: String(options.limit ?? 100),
  });
  if (options.cursor) params.set('cursor', options.cursor);
  if (options.q) params.set('q', options.q);
  if (options.method) params.set('method', options.method);
  if (options.event) params.set('event', options.event);
  return api(`/api/bins/${path(binId)}/requests?${params}`, { signal: options.signal });
}

export const requestUrl = (binId: string, requestId: string) =>
  `/api/bins/${path(binId)}/requests/${path(requestId)}`;
export const getRequest = (binId: string, requestId: string, signal?: AbortSignal) =>
  api<RequestWithReplaysJson>(requestUrl(binId, requestId), { signal });
export const getCurl = (binId: string, requestId: string) =>
  apiText(`${requestUrl(binId, requestId)}/curl`);
export const deleteRequest = (binId: string, requestId: string) =>
  api<void>(requestUrl(binId, requestId), { method: 'DELETE' });

/** What a replay may change; absent parts are sent as captured. */
export interface ReplayInput {
  url: string;
  method?: string;
  path?: string;
  headers?: Array<[string, string]>;
  body?: string;
}
export const replayRequest = (binId: string, requestId: string, input: ReplayInput) =>
  api<ReplayJson>(`${requestUrl(binId, requestId)}/replay`, { method: 'POST', body: input });
export const listReplays = (binId: string, requestId: string, signal?: AbortSignal) =>
  api<{ items: ReplayJson[] }>(`${requestUrl(binId, requestId)}/replays`, { signal });

export const clearRequests = (binId: string) =>
  api<void>(`/api/bins/${path(binId)}/requests`, { method: 'DELETE' });

// Event catalog --------------------------------------------------------------------------------

export const listEvents = () => api<{ items: EventJson[] }>('/api/events');

// Sandbox --------------------------------------------------------------------------------------

export const listWebhooks = () => api<{ items: WebhookJson[] }>('/api/sandbox/webhooks');
export const getWebhook = (id: number) => api<WebhookJson>(`/api/sandbox/webhooks/${id}`);
export const createWebhook = (input: WebhookInput) =>
  api<WebhookJson>('/api/sandbox/webhooks', {
    method: 'POST',
    body: { integration: 'manual', ...input },
  });
export const updateWebhook = (id: number, patch: Partial<WebhookInput>) =>
  api<WebhookJson>(`/api/sandbox/webhooks/${id}`, { method: 'PATCH', body: patch });
export const deleteWebhook = (id: number) =>
  api<void>(`/api/sandbox/webhooks/${id}`, { method: 'DELETE' });
export const sendTestEvent = (id: number) =>
  api<TestResultJson>(`/api/sandbox/webhooks/${id}/test`, { method: 'POST' });
export const fireEvent = (input: { event: string; payload?: unknown; force?: boolean }) =>
  api<FireResultJson>('/api/sandbox/fire', { method: 'POST', body: input });

/** Sends a past delivery again now; answers with the delivery and its attempts (the new one last). */
export const redeliverDelivery = (id: string) =>
  api<DeliveryJson>(`/api/sandbox/deliveries/${encodeURIComponent(id)}/redeliver`, {
    method: 'POST',
  });

export function listDeliveries(options: {
  webhook?: number;
  event?: string;
  status?: DeliveryStatus;
  cursor?: string | null;
  limit?: number;
}): Promise<Page<DeliveryJson>> {
  const params = new URLSearchParams({ limit: String(options.limit ?? 50) });
  if (options.webhook !== undefined) params.set('webhook', String(options.webhook));
  if (options.event) params.set('event', options.event);
  if (options.status) params.set('status', options.status);
  if (options.cursor) params.set('cursor', options.cursor);
  return api(`/api/sandbox/deliveries?${params}`);
}
