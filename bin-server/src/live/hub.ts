import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { DomainEvent, Topic } from '../bus/types.js';
import type { Context } from '../context.js';
import type { UpgradeHandler } from '../http/handler.js';
import { createResponders } from '../responders/registry.js';
import type { LiveMessage } from '../wire/live.js';
import { toLiveMessage, type BinViewSettings } from './live-message.js';
import { parseViewerRequest, validBins } from './request.js';
import { createResponderLink } from './responder-link.js';
import { createTopicRegistry } from './topics.js';
import { createTurnCork } from './turn-cork.js';

export interface LiveHub {
  handleUpgrade: UpgradeHandler;
  /** Viewers connected now. */
  readonly viewers: number;
  close(): Promise<void>;
}

export interface LiveHubOptions {
  /** A viewer with more than this queued for it is closed with 1013 instead of buffering more. */
  maxBufferedBytes?: number;
  pingIntervalMs?: number;
  maxBinsPerViewer?: number;
}

interface Viewer {
  socket: WebSocket;
  /** The upgraded TCP socket under `socket`, corked while a turn's frames are written. */
  raw: Duplex;
  bins: Set<string>;
  sandbox: boolean;
  alive: boolean;
  /** Its messages as a `tail --respond` forwarder. */
  responder: ReturnType<typeof createResponderLink>;
}

const binTopic = (bin: string): Topic => `bin:${bin}`;

// ws is loaded on the first viewer, not at start-up: a server that nobody watches never needs it
// (and it costs tens of milliseconds to load). CommonJS, so a synchronous require keeps the
// upgrade path synchronous.
let wsModule: { WebSocketServer: typeof WebSocketServer } | undefined;
function loadWs(): { WebSocketServer: typeof WebSocketServer } {
  return (wsModule ??= createRequire(import.meta.url)('ws') as {
    WebSocketServer: typeof WebSocketServer;
  });
}

function refuse(socket: Duplex, status: number, error: string, message: string): void {
  const body = JSON.stringify({ error, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The WebSocket hub on /ws: viewers watch bins (and the sandbox); every domain event published
 * on the bus for a watched topic becomes its live message (live-message.ts), serialized once and
 * written to each viewer. Metadata only — bodies are fetched over the API. A viewer that does
 * not keep up is closed (1013), never buffered for, so it can neither grow memory nor slow
 * capture or other viewers.
 */
export function createLiveHub(context: Context, options: LiveHubOptions = {}): LiveHub {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const maxBins = options.maxBinsPerViewer ?? 50;
  const viewers = new Set<Viewer>();
  let wss: WebSocketServer | undefined;
  const server = () =>
    (wss ??= new (loadWs().WebSocketServer)({
      noServer: true,
      // Viewers send small subscribe/unsubscribe messages; a forwarder's answers are bounded
      // (a bin answer's 10 KB body as base64, and its headers).
      maxPayload: 64 * 1024,
      perMessageDeflate: false,
    }));

  const responders = createResponders(context);
  const cork = createTurnCork();
  const binViews: BinViewSettings = {
    baseUrl: () => context.baseUrl(),
    ttlMs: context.config.ttl,
    maxRequests: context.config.maxRequests,
  };
  const encode = (event: DomainEvent) => {
    const message = toLiveMessage(event, binViews);
    return message && Buffer.from(JSON.stringify(message));
  };
  const topics = createTopicRegistry<Viewer>(context.bus, encode, (watching, data) => {
    for (const viewer of watching) {
      if (viewer.socket.readyState !== viewer.socket.OPEN) continue;
      if (viewer.socket.bufferedAmount + data.length > maxBuffered) drop(viewer);
      else {
        cork(viewer.raw);
        viewer.socket.send(data, { binary: false });
      }
    }
  });

  function detach(viewer: Viewer): void {
    if (!viewers.delete(viewer)) return;
    viewer.responder.detach();
    for (const bin of viewer.bins) topics.remove(binTopic(bin), viewer);
    if (viewer.sandbox) topics.remove('sandbox', viewer);
  }

  function drop(viewer: Viewer): void {
    detach(viewer);
    // Nothing more is written to it. The close frame waits behind the unread data, so a slow
    // viewer learns why once it catches up; one that never reads is cut off after a grace period.
    viewer.socket.close(1013, 'Viewer too slow: reconnect and refetch what was missed.');
    setTimeout(() => viewer.socket.terminate(), 10_000).unref();
  }

  function send(viewer: Viewer, message: LiveMessage): void {
    if (viewer.socket.readyState === viewer.socket.OPEN)
      viewer.socket.send(JSON.stringify(message));
  }

  async function hello(viewer: Viewer): Promise<void> {
    const bins = [...viewer.bins];
    const found = await Promise.all(bins.map((id) => context.store.bins.get(id)));
    const unknown = bins.filter((_, i) => found[i] === undefined);
    send(viewer, { type: 'hello', bins, unknown_bins: unknown, sandbox: viewer.sandbox });
  }

  function watch(viewer: Viewer, bins: readonly string[]): boolean {
    const next = new Set([...viewer.bins, ...bins]);
    if (next.size > maxBins) return false;
    for (const bin of bins) {
      if (viewer.bins.has(bin)) continue;
      viewer.bins.add(bin);
      topics.add(binTopic(bin), viewer);
    }
    return true;
  }

  function unwatch(viewer: Viewer, bins: readonly string[]): void {
    for (const bin of bins) {
      if (viewer.bins.delete(bin)) topics.remove(binTopic(bin), viewer);
    }
  }

  function onMessage(viewer: Viewer, data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    if (viewer.responder.handle(message)) return;
    const { type, bins } = (message ?? {}) as { type?: unknown; bins?: unknown };
    const checked = Array.isArray(bins) ? validBins(bins, maxBins) : undefined;
    if ((type !== 'subscribe' && type !== 'unsubscribe') || !checked?.ok) {
      viewer.socket.close(
        1008,
        checked && !checked.ok
          ? checked.message.slice(0, 120)
          : 'Send {"type":"subscribe"|"unsubscribe","bins":["<bin id>"]}',
      );
      return;
    }
    if (type === 'unsubscribe') unwatch(viewer, checked.bins);
    else if (!watch(viewer, checked.bins)) {
      viewer.socket.close(1008, `Watch at most ${maxBins} bins per connection.`);
      return;
    }
    void hello(viewer).catch(() => undefined);
  }

  function attach(socket: WebSocket, raw: Duplex, bins: string[], sandbox: boolean): void {
    const responder = createResponderLink(socket, responders);
    const viewer: Viewer = { socket, raw, bins: new Set(), sandbox, alive: true, responder };
    viewers.add(viewer);
    watch(viewer, bins);
    if (sandbox) topics.add('sandbox', viewer);
    socket.on('pong', () => (viewer.alive = true));
    socket.on('message', (data, isBinary) => onMessage(viewer, data, isBinary));
    socket.on('close', () => detach(viewer));
    socket.on('error', () => socket.terminate());
    void hello(viewer).catch(() => undefined);
  }

  // Protocol pings: a viewer that missed the previous pong is gone (sleeping laptop, dead link).
  const pinger = setInterval(() => {
    for (const viewer of viewers) {
      if (!viewer.alive) {
        detach(viewer);
        viewer.socket.terminate();
        continue;
      }
      viewer.alive = false;
      viewer.socket.ping();
    }
  }, options.pingIntervalMs ?? 10_000);
  pinger.unref();

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      if (context.signal.aborted) {
        return refuse(socket, 503, 'shutting_down', 'The server is stopping.');
      }
      const asked = parseViewerRequest(req, maxBins, context.config.publicUrl);
      if (!asked.ok) return refuse(socket, asked.status, asked.error, asked.message);
      let upgrading: WebSocketServer;
      try {
        upgrading = server();
      } catch (error) {
        context.log(`live updates unavailable: could not load ws: ${String(error)}`);
        return refuse(
          socket,
          500,
          'live_unavailable',
          'Live updates could not start (the ws module failed to load; see the server log). Reinstall umhooks.',
        );
      }
      upgrading.handleUpgrade(req, socket, head, (ws) =>
        attach(ws, socket, asked.bins, asked.sandbox),
      );
    },
    get viewers() {
      return viewers.size;
    },
    async close() {
      clearInterval(pinger);
      const closed = [...viewers].map(
        (viewer) =>
          new Promise<void>((resolve) => {
            detach(viewer);
            if (viewer.socket.readyState === viewer.socket.CLOSED) return resolve();
            viewer.socket.once('close', () => resolve());
            viewer.socket.close(1001, 'The server is stopping.');
            setTimeout(() => viewer.socket.terminate(), 1000).unref();
          }),
      );
      await Promise.all(closed);
      await responders.close();
      topics.close();
      const started = wss;
      if (started) await new Promise<void>((resolve) => started.close(() => resolve()));
    },
  };
}
