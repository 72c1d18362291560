import { setMaxListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { forbiddenHostMessage, hostAllowed } from './auth/host.js';
import { tokenAccepted } from './auth/token.js';
import { openBus } from './bus/open.js';
import type { Bus } from './bus/types.js';
import { createCaptureHandler } from './capture/handler.js';
import { createInProcessCapture } from './capture/in-process.js';
import { CAPTURE_SECURITY_HEADERS } from './capture/respond.js';
import {
  accessToken,
  isLoopback,
  outboundMode,
  resolveConfig,
  type Config,
  type ConfigInput,
} from './config.js';
import type { Context } from './context.js';
import { createApiHandler } from './api/app.js';
import { answerClientError, trackResponse } from './http/client-error.js';
import { badRequest, normalizeRequestTarget } from './http/request-target.js';
import { createLiveHub } from './live/hub.js';
import { createOutbound } from './outbound/outbound.js';
import type { LocalCapture } from './outbound/types.js';
import { startDispatcher, type DispatcherOptions } from './sandbox/dispatcher.js';
import { createSandboxRestHandler } from './wp-rest/app.js';
import { openStore } from './store/open.js';
import { createUiHandler } from './ui-server/ui-handler.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  context: Context;
  /** Stops accepting, lets in-flight requests finish, stops workers, flushes and closes the store. */
  close(): Promise<void>;
}

function forbiddenHost(res: http.ServerResponse, host: string | undefined): void {
  res.writeHead(403, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'forbidden_host', message: forbiddenHostMessage(host) }));
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

/** Settings that are not user configuration: tests tune the dispatcher (fast retries, short leases). */
export interface ServerInternals {
  dispatcher?: DispatcherOptions;
  /** Name resolution for the server's outbound requests (tests resolve names to loopback). */
  lookup?: LookupFunction;
}

/** The base URLs this server's bins are reached at: the public URL, the listening one, its aliases. */
function ownBases(config: Config, listeningUrl: string): string[] {
  const bases = [listeningUrl];
  if (config.publicUrl) bases.push(config.publicUrl);
  const port = listeningUrl ? new URL(listeningUrl).port : '';
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.host);
  if (port && (wildcard || isLoopback(config.host))) {
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) bases.push(`http://${host}:${port}`);
  }
  return bases;
}

export async function startServer(
  input: ConfigInput = {},
  internals: ServerInternals = {},
): Promise<RunningServer> {
  const config: Config = resolveConfig(input);
  // Anything reachable from other machines requires a token for the UI and API.
  const access = accessToken(config);
  const store = await openStore(config);
  const log = (message: string) => {
    if (!config.quiet) console.log(message);
  };
  let token = access.token;
  let bus: Bus;
  try {
    // Instances sharing a PostgreSQL store share a generated token too: a load balancer may
    // send the same browser to any of them.
    if (access.generated && store.kind === 'postgres') {
      token = await store.settings.setIfAbsent('access_token', access.token!);
    }
    // In-process, or LISTEN/NOTIFY across the instances sharing a PostgreSQL store.
    bus = await openBus(config, log);
  } catch (error) {
    await store.close();
    throw error;
  }
  let listeningUrl = '';
  const shutdown = new AbortController();
  // Every waiting long-poll, held answer and outbound send listens for the stop: thousands at once
  // are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  // The in-process capture needs the context, which holds the outbound: tied after both exist.
  const local: { capture?: LocalCapture } = {};
  const outbound = createOutbound({
    mode: outboundMode(config),
    capture: (request, signal) => local.capture!(request, signal),
    ownBases: () => ownBases(config, listeningUrl),
    ...(internals.lookup ? { lookup: internals.lookup } : {}),
  });
  const context: Context = {
    config,
    store,
    bus,
    token,
    now: () => Date.now(),
    baseUrl: () => (config.publicUrl ?? listeningUrl).replace(/\/+$/, ''),
    log,
    outbound,
    signal: shutdown.signal,
  };
  local.capture = createInProcessCapture(context);

  const capture = createCaptureHandler(context);
  const sandboxRest = createSandboxRestHandler(context);
  const api = createApiHandler(context);
  const ui = createUiHandler(context);
  const live = createLiveHub(context);
  const dispatcher = startDispatcher(context, internals.dispatcher);

  // The UI, /api and /ws of a token-less server answer loopback host names only (DNS rebinding).
  const trustedHost = (req: http.IncomingMessage) =>
    token !== undefined || hostAllowed(req.headers.host, config.publicUrl);
  const route = (req: http.IncomingMessage, res: http.ServerResponse, expectsContinue: boolean) => {
    trackResponse(req, res);
    const invalid = normalizeRequestTarget(req);
    if (invalid) return badRequest(res, invalid);
    const url = req.url ?? '/';
    // The capture path comes first and never goes through express. It answers `Expect:
    // 100-continue` itself, after its bin and size checks, so oversized uploads are never sent.
    if (url.startsWith('/b/')) return capture(req, res);
    if (expectsContinue) res.writeContinue();
    // The plugin-compatible API has its own key/secret auth (the Zapier app calls it).
    if (url.startsWith('/wp-json/')) return sandboxRest(req, res);
    if (!trustedHost(req)) return forbiddenHost(res, req.headers.host);
    if (!tokenAccepted(req, token)) return unauthorized(res);
    if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) return api(req, res);
    return ui(req, res);
  };
  const server = http.createServer(
    {
      // Node answers 431 past 16 KiB of headers; bounded header and request times stop slow clients.
      maxHeaderSize: 16 * 1024,
      headersTimeout: config.headersTimeout,
      requestTimeout: config.requestTimeout,
      // Node checks those timeouts on this interval (30 s by default, far coarser than them).
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, config.headersTimeout / 4)),
    },
    (req, res) => route(req, res, false),
  );
  // Listening here stops Node from sending `100 Continue` by itself (see route).
  server.on('checkContinue', (req, res) => route(req, res, true));
  // Unparsable bytes are answered after the requests pipelined before them (client-error.ts),
  // with the headers every capture answer carries: the route is not known yet, and this may be a
  // capture URL.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, CAPTURE_SECURITY_HEADERS),
  );
  server.on('upgrade', (req, socket, head) => {
    if (!trustedHost(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!tokenAccepted(req, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    live.handleUpgrade(req, socket, head);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    shutdown.abort();
    await Promise.allSettled([live.close(), dispatcher.stop()]);
    await outbound.close();
    await store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  listeningUrl = `http://${host}:${address.port}`;

  // TTL: bins not used (UI/API) for `ttl` are deleted with their requests.
  const sweep = () => {
    store.bins.expire(context.now() - config.ttl).catch((error: unknown) => {
      context.log(`ttl sweep failed: ${String(error)}`);
    });
  };
  sweep();
  const sweeper = setInterval(sweep, Math.min(60_000, Math.max(1_000, config.ttl / 10)));
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url: listeningUrl,
    context,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // In-flight requests finish; each keep-alive connection is closed as soon as it is idle,
        // and whatever still hangs after 10 s is cut.
        server.closeIdleConnections();
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        const cut = setTimeout(() => server.closeAllConnections(), 10_000);
        await live.close();
        await dispatcher.stop();
        await outbound.close();
        await stopped;
        clearInterval(idle);
        clearTimeout(cut);
        await store.close();
        await bus.close();
      })();
      return closing;
    },
  };
}
