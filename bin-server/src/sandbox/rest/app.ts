import type { Context } from '../../context.js';
import type { RequestHandler } from '../../http/handler.js';
// STUB: the plugin-compatible REST API under /wp-json/wu/v2.
export function createSandboxRestHandler(_context: Context): RequestHandler {
  return (_req, res) => {
    res.writeHead(501).end();
  };
}
