import type { RequestHandler } from 'express';
import type { Context } from '../../context.js';
import { HttpError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Protects the API from web pages the developer visits (server.ts already refuses foreign Host
 * names on a token-less server, see auth/host.ts):
 * - Cross-site writes: browsers send `Origin` on every non-GET request, so a state-changing call
 *   from another site is refused (a form or `fetch(no-cors)` could otherwise create or delete).
 */
export function crossSiteGuard(context: Context): RequestHandler {
  const publicHost = context.config.publicUrl ? new URL(context.config.publicUrl).host : undefined;
  return (req, _res, next) => {
    const host = req.headers.host ?? '';
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
