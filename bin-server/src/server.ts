import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenAccepted } from './auth/token.js';
import { createMemoryBus } from './bus/memory.js';
import { createCaptureHandler } from './capture/handler.js';
import { isLoopback, resolveConfig, type Config, type ConfigInput } from './config.js';
import type { Context } from './context.js';
import { createApiHandler } from './api/app.js';
import { createLiveHub } from './live/hub.js';
import { startDispatcher } from './sandbox/dispatcher.js';
import { createSandboxRestHandler } from './sandbox/rest/app.js';
import { openStore } from './store/open.js';
import { createUiHandler } from './ui/static.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  context: Context;
  /** Stops accepting, lets in-flight requests finish, stops workers, flushes and closes the store. */
  close(): Promise<void>;
}

function unauthorized(res: http.ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
  res.end(
    JSON.stringify({
      error: 'unauthorized',
      message:
        'This server is bound to a non-loopback address: pass the access token printed at start-up as "Authorization: Bearer <token>" or open /?token=<token> once in the browser.',
    }),
  );
}

export async function startServer(input: ConfigInput = {}): Promise<RunningServer> {
  const config: Config = resolveConfig(input);
  // Anything reachable from other machines requires a token for the UI and API.
  const token =
    config.token ?? (isLoopback(config.host) ? undefined : randomBytes(24).toString('base64url'));
  const store = await openStore(config);
  const bus = createMemoryBus();
  let listeningUrl = '';
  const shutdown = new AbortController();
  const context: Context = {
    config,
    store,
    bus,
    token,
    now: () => Date.now(),
    baseUrl: () => (config.publicUrl ?? listeningUrl).replace(/\/+$/, ''),
    log: (message) => {
      if (!config.quiet) console.log(message);
    },
    signal: shutdown.signal,
  };

  const capture = createCaptureHandler(context);
  const sandboxRest = createSandboxRestHandler(context);
  const api = createApiHandler(context);
  const ui = createUiHandler(context);
  const live = createLiveHub(context);
  const dispatcher = startDispatcher(context);

  const server = http.createServer(
    {
      // Node answers 431 past 16 KiB of headers; bounded header and request times stop slow clients.
      maxHeaderSize: 16 * 1024,
      headersTimeout: config.headersTimeout,
      requestTimeout: config.requestTimeout,
    },
    (req, res) => {
      const url = req.url ?? '/';
      // The capture path comes first and never goes through express.
      if (url.startsWith('/b/')) return capture(req, res);
      // The plugin-compatible API has its own key/secret auth (the Zapier app calls it).
      if (url.startsWith('/wp-json/')) return sandboxRest(req, res);
      if (!tokenAccepted(req, token)) return unauthorized(res);
      if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?'))
        return api(req, res);
      return ui(req, res);
    },
  );
  server.on('upgrade', (req, socket, head) => {
    if (!tokenAccepted(req, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    live.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  listeningUrl = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: listeningUrl,
    context,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await live.close();
        await dispatcher.stop();
        await stopped;
        await store.close();
        await bus.close();
      })();
      return closing;
    },
  };
}
