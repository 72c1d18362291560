import { useEffect, useState } from 'preact/hooks';
import type { DeliveryStatus } from './api/types.js';

/** A bin's list filters, kept in the hash's query so a filtered view can be shared and reloaded. */
export interface ListFilters {
  q?: string;
  method?: string;
  event?: string;
}

/** The delivery log's filters, kept in the hash's query like a bin's list filters. */
export interface DeliveryFilters {
  webhook?: number;
  event?: string;
  status?: DeliveryStatus;
}

const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'delivering',
  'succeeded',
  'failed',
  'gave-up',
];

/** One captured request, as the compare view names each side. */
export interface RequestRef {
  binId: string;
  requestId: string;
}

/** Hash routes: the server serves one file and the address bar still names every view. */
export type Route =
  | { page: 'bins' }
  | { page: 'bin'; binId: string; requestId?: string; filters: ListFilters }
  | { page: 'webhooks'; deliveries: DeliveryFilters }
  | { page: 'webhook'; webhookId: number; deliveries: DeliveryFilters }
  | { page: 'compare'; left?: RequestRef; right?: RequestRef }
  | { page: 'events'; eventId?: string }
  | { page: 'not-found'; hash: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseFilters(query: string): ListFilters {
  const params = new URLSearchParams(query);
  const filters: ListFilters = {};
  for (const key of ['q', 'method', 'event'] as const) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function parseDeliveryFilters(query: string): DeliveryFilters {
  const params = new URLSearchParams(query);
  const filters: DeliveryFilters = {};
  const webhook = params.get('webhook');
  if (webhook && /^\d+$/.test(webhook)) filters.webhook = Number(webhook);
  const event = params.get('event');
  if (event) filters.event = event;
  const status = params.get('status');
  const known = DELIVERY_STATUSES.find((s) => s === status);
  if (known) filters.status = known;
  return filters;
}

function requestRef(binId: string | undefined, requestId: string | undefined) {
  return binId && requestId ? { binId, requestId } : undefined;
}

function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split(/\?(.*)/s);
  const parts = path.split('/').filter(Boolean).map(decode);
  const [section, first, second] = parts;
  switch (section) {
    case undefined:
    case 'bins':
      if (first === undefined) return { page: 'bins' };
      return second === undefined
        ? { page: 'bin', binId: first, filters: parseFilters(query) }
        : { page: 'bin', binId: first, requestId: second, filters: parseFilters(query) };
    case 'webhooks':
      if (first === undefined) return { page: 'webhooks', deliveries: parseDeliveryFilters(query) };
      if (/^\d+$/.test(first)) {
        const { webhook: _ignored, ...deliveries } = parseDeliveryFilters(query);
        return { page: 'webhook', webhookId: Number(first), deliveries };
      }
      break;
    case 'compare': {
      const left = requestRef(first, second);
      const right = parts[3] === 'vs' ? requestRef(parts[4], parts[5]) : undefined;
      return { page: 'compare', ...(left && { left }), ...(left && right && { right }) };
    }
    case 'events':
      return first === undefined ? { page: 'events' } : { page: 'events', eventId: first };
  }
  return { page: 'not-found', hash };
}

const enc = encodeURIComponent;

function withDeliveryFilters(path: string, filters: DeliveryFilters): string {
  const params = new URLSearchParams();
  if (filters.webhook !== undefined) params.set('webhook', String(filters.webhook));
  if (filters.event) params.set('event', filters.event);
  if (filters.status) params.set('status', filters.status);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export const href = {
  bins: () => '#/bins',
  bin: (binId: string, requestId?: string, filters: ListFilters = {}) => {
    const path = requestId ? `#/bins/${enc(binId)}/${enc(requestId)}` : `#/bins/${enc(binId)}`;
    const params = new URLSearchParams();
    if (filters.q) params.set('q', filters.q);
    if (filters.method) params.set('method', filters.method);
    if (filters.event) params.set('event', filters.event);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  },
  webhooks: (filters: DeliveryFilters = {}) => withDeliveryFilters('#/webhooks', filters),
  webhook: (id: number, filters: DeliveryFilters = {}) =>
    withDeliveryFilters(`#/webhooks/${id}`, filters),
  /** Compare view: one side chosen (then pick the other), or both. */
  compare: (left: RequestRef, right?: RequestRef) =>
    `#/compare/${enc(left.binId)}/${enc(left.requestId)}` +
    (right ? `/vs/${enc(right.binId)}/${enc(right.requestId)}` : ''),
  events: (eventId?: string) => (eventId ? `#/events/${enc(eventId)}` : '#/events'),
};

export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (location.hash === hash) return;
  if (options.replace) history.replaceState(null, '', hash);
  else location.hash = hash;
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
