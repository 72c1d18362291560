import type { Request } from 'express';
import { safeEqual } from '../auth/token.js';
import type { SandboxCredentials } from '../sandbox/credentials.js';

/** `PHP_AUTH_USER` / `PHP_AUTH_PW` from an HTTP Basic header. */
function basicCredentials(req: Request): { user: string; password: string } | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The plugin's check_authorization: HTTP Basic `key:secret` when both parts are non-empty,
 * else the `api_key`/`api_secret` (or `api-key`/`api-secret`) request parameters. Both values
 * are compared in constant time.
 */
export function isAuthorized(
  req: Request,
  params: Record<string, unknown>,
  credentials: SandboxCredentials,
): boolean {
  let key: unknown;
  let secret: unknown;
  const basic = basicCredentials(req);
  if (basic && basic.user !== '' && basic.password !== '') {
    key = basic.user;
    secret = basic.password;
  } else {
    key = params.api_key ?? params['api-key'];
    secret = params.api_secret ?? params['api-secret'];
  }
  if (typeof key !== 'string' || typeof secret !== 'string') return false;
  // Both comparisons always run: the answer's timing says nothing about which part was wrong.
  const keyOk = safeEqual(key, credentials.apiKey);
  const secretOk = safeEqual(secret, credentials.apiSecret);
  return keyOk && secretOk;
}
