import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
// STUB: the JSON API (express) under /api.
export function createApiHandler(_context: Context): RequestHandler {
  return (_req, res) => {
    res.writeHead(501).end();
  };
}
