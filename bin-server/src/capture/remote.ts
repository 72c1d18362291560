import type { IncomingMessage } from 'node:http';

/**
 * The sender's address. `X-Forwarded-For` is believed only behind a trusted reverse proxy
 * (`--trust-proxy`): its first entry, the client as the proxy chain reports it.
 */
export function remoteAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const forwarded = Array.isArray(header) ? header[0] : header;
    if (forwarded) {
      const first = forwarded.split(',', 1)[0]!.trim();
      if (first) return first;
    }
  }
  return req.socket.remoteAddress ?? '';
}
