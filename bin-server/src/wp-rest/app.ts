import type { Context } from '../context.js';
import type { RequestHandler } from '../http/handler.js';
import { ensureCredentials } from '../sandbox/credentials.js';

/**
 * The plugin's REST API on /wp-json (rest-app.ts). Its credentials are set up now, at start-up
 * (serve prints them, /api/info reads them); the express app itself is loaded on the first
 * /wp-json request, so a server whose sandbox is never called starts without it.
 */
export function createSandboxRestHandler(context: Context): RequestHandler {
  // Started now so the pair is stored before the server listens (/api/info and serve read it).
  const credentials = ensureCredentials(context);
  credentials.catch((error: unknown) => {
    context.log(`sandbox: cannot set up the API credentials: ${String(error)}`);
  });
  let app: Promise<RequestHandler> | undefined;
  return (req, res) => {
    app ??= import('./rest-app.js').then((loaded) =>
      loaded.createSandboxRestApp(context, credentials),
    );
    app
      .then((handle) => handle(req, res))
      .catch((error: unknown) => {
        context.log(`sandbox REST: could not load the REST API: ${String(error)}`);
        // WordPress's error shape, written by hand: wp-response.ts needs express's response.
        const body = JSON.stringify({
          code: 'internal_server_error',
          message:
            'The sandbox REST API could not be loaded; the server log has the details (reinstall umhooks if it persists).',
          data: { status: 500 },
        });
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, {
          'content-type': 'application/json; charset=UTF-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      });
  };
}
