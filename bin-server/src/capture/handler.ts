import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
// STUB: the capture hot path.
export function createCaptureHandler(_context: Context): RequestHandler {
  return (_req, res) => {
    res.writeHead(501).end();
  };
}
