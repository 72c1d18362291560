import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'umhooks_token';

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Every token a request presents: `Authorization: Bearer`, the UI cookie and `?token=`. All are
 * tried, so a stale cookie from an earlier run does not shadow a fresh `/?token=` link.
 */
function presentedTokens(req: IncomingMessage): string[] {
  const tokens: string[] = [];
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) tokens.push(auth.slice(7).trim());
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name !== TOKEN_COOKIE) continue;
      try {
        tokens.push(decodeURIComponent(rest.join('=')));
      } catch {
        // A malformed cookie value presents nothing.
      }
    }
  }
  const query = req.url?.split('?')[1];
  if (query) {
    const value = new URLSearchParams(query).get('token');
    if (value) tokens.push(value);
  }
  return tokens;
}

/** True when no token is required or the request presents the right one. */
export function tokenAccepted(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  // Compare every candidate (no early exit), so timing does not tell which one matched.
  let accepted = false;
  for (const presented of presentedTokens(req)) accepted = safeEqual(presented, token) || accepted;
  return accepted;
}
