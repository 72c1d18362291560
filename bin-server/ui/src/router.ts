import { useEffect, useState } from 'preact/hooks';

/** A bin's list filters, kept in the hash's query so a filtered view can be shared and reloaded. */
export interface ListFilters {
  q?: string;
  method?: string;
  event?: string;
}

/** Hash routes: the server serves one file and the address bar still names every view. */
export type Route =
  | { page: 'bins' }
  | { page: 'bin'; binId: string; requestId?: string; filters: ListFilters }
  | { page: 'webhooks' }
  | { page: 'webhook'; webhookId: number }
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
      if (first === undefined) return { page: 'webhooks' };
      if (/^\d+$/.test(first)) return { page: 'webhook', webhookId: Number(first) };
      break;
    case 'events':
      return first === undefined ? { page: 'events' } : { page: 'events', eventId: first };
  }
  return { page: 'not-found', hash };
}

const enc = encodeURIComponent;

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
  webhooks: () => '#/webhooks',
  webhook: (id: number) => `#/webhooks/${id}`,
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
