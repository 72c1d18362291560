import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver read it: exact bytes and Node's raw header list. */
export interface Received {
  method: string;
  url: string;
  httpVersion: string;
  /** Node's rawHeaders: names as sent, in order, duplicates kept. */
  rawHeaders: string[];
  /** The same list as [name, value] pairs. */
  headers: Array<[string, string]>;
  body: Buffer;
  remotePort: number;
  /** Set once an answer was written. */
  answered: boolean;
  /** The sender's connection closed before this request was answered. */
  abandoned: boolean;
}

/** How to answer one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
  /** Keep it unanswered until `release()`. */
  hold?: boolean;
}

/**
 * Decides the answer. Returning nothing leaves `res` to the function (it may answer in its own
 * way, destroy the socket, or never answer).
 */
export type Respond = (
  request: Received,
  res: http.ServerResponse,
  index: number,
) => Reply | void | Promise<Reply | void>;

export interface Receiver {
  url: string;
  port: number;
  server: http.Server;
  received: Received[];
  /** Requests being answered right now, and the most at once. */
  readonly active: number;
  readonly maxActive: number;
  /** Requests held by `hold: true`, still waiting for `release()`. */
  readonly held: number;
  /** Resolves once `count` requests arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Answers every held request that is still connected. */
  release(status?: number): void;
  close(): Promise<void>;
}

/** Header pairs from Node's rawHeaders. */
export function pairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return out;
}

/** The one stub HTTP receiver of the tests: a real server on 127.0.0.1 that records every request. */
export async function startReceiver(respond: Respond = () => ({})): Promise<Receiver> {
  const received: Received[] = [];
  let active = 0;
  let maxActive = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const open = new Set<http.ServerResponse>();
  const held: Array<{ request: Received; res: http.ServerResponse }> = [];

  // A request stops being active when it is answered, or when its connection closes unanswered.
  const settled = new WeakSet<http.ServerResponse>();
  function settle(res: http.ServerResponse): void {
    if (settled.has(res)) return;
    settled.add(res);
    active -= 1;
  }

  function answer(request: Received, res: http.ServerResponse, reply: Reply): void {
    if (res.destroyed || res.headersSent) return;
    request.answered = true;
    settle(res);
    res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body ?? ((reply.status ?? 200) < 300 ? 'ok' : 'try again'));
  }

  const server = http.createServer((req, res) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    open.add(res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        rawHeaders: req.rawHeaders,
        headers: pairs(req.rawHeaders),
        body: Buffer.concat(chunks),
        remotePort: req.socket.remotePort ?? 0,
        answered: false,
        abandoned: false,
      };
      res.on('close', () => {
        open.delete(res);
        settle(res);
        if (res.headersSent) request.answered = true;
        else request.abandoned = true;
      });
      const index = received.push(request) - 1;
      for (const waiter of waiters.splice(0)) {
        if (received.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
      const reply = await respond(request, res, index);
      if (!reply || reply.hang) return;
      if (reply.hold) held.push({ request, res });
      else answer(request, res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    received,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    get held() {
      return held.length;
    },
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${count} requests arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    release(status = 200) {
      for (const { request, res } of held.splice(0)) answer(request, res, { status });
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first value of header `name` (any case), as received. */
export function headerOf(request: Received, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}
