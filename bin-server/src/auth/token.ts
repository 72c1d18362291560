import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'umhooks_token';

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The token a request presents: `Authorization: Bearer`, the UI cookie, or `?token=`. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
    }
  }
  const query = req.url?.split('?')[1];
  if (query) {
    const value = new URLSearchParams(query).get('token');
    if (value) return value;
  }
  return undefined;
}

/** True when no token is required or the request presents the right one. */
export function tokenAccepted(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = presentedToken(req);
  return presented !== undefined && safeEqual(presented, token);
}
