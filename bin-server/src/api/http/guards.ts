import type { RequestHandler } from 'express';
import { isLoopback } from '../../config.js';
import type { Context } from '../../context.js';
import { HttpError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Protects a token-less local server from web pages the developer visits:
 * - DNS rebinding: a page on evil.example that re-points its name to 127.0.0.1 reaches us with
 *   `Host: evil.example`; only loopback names (and the public URL's host) are served.
 * - Cross-site writes: browsers send `Origin` on every non-GET request, so a state-changing call
 *   from another site is refused (a form or `fetch(no-cors)` could otherwise create or delete).
 * With a token, the token is what protects the API, and the Host check is not needed.
 */
export function crossSiteGuard(context: Context): RequestHandler {
  const publicHost = context.config.publicUrl ? new URL(context.config.publicUrl).host : undefined;
  return (req, _res, next) => {
    const host = req.headers.host ?? '';
    if (context.token === undefined && host !== publicHost) {
      const name = hostnameOf(host);
      if (name === undefined || !(isLoopback(name) || name.endsWith('.localhost'))) {
        return next(
          new HttpError(
            403,
            'forbidden_host',
            `This server only answers its API for loopback host names, not "${host}". Use http://127.0.0.1:<port>, or start it with --public-url (behind a proxy) or --token.`,
          ),
        );
      }
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !SAFE_METHODS.has(req.method)) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || (originHost !== host && originHost !== publicHost)) {
        return next(
          new HttpError(
            403,
            'forbidden_origin',
            `${req.method} requests from pages of other sites (${origin}) are refused. Call the API from this server's UI or from a non-browser client.`,
          ),
        );
      }
    }
    next();
  };
}
