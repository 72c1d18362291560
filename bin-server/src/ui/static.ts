import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
// STUB: serves the built browser app.
export function createUiHandler(_context: Context): RequestHandler {
  return (_req, res) => {
    res.writeHead(501).end();
  };
}
