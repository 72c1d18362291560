import { useEffect, useState } from 'preact/hooks';

/** Hash routes: the server serves one file and the address bar still names every view. */
export type Route =
  | { page: 'bins' }
  | { page: 'bin'; binId: string; requestId?: string }
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

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decode);
  const [section, first, second] = parts;
  switch (section) {
    case undefined:
    case 'bins':
      if (first === undefined) return { page: 'bins' };
      return second === undefined
        ? { page: 'bin', binId: first }
        : { page: 'bin', binId: first, requestId: second };
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
  bin: (binId: string, requestId?: string) =>
    requestId ? `#/bins/${enc(binId)}/${enc(requestId)}` : `#/bins/${enc(binId)}`,
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
