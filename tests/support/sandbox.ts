import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigInput } from '../../bin-server/src/config.js';
import type { RunningServer, ServerInternals } from '../../bin-server/src/server.js';
import { startTestServer } from './server.js';

/** A sandbox server with its credentials and small clients for its two APIs. */
export interface Sandbox {
  server: RunningServer;
  url: string;
  key: string;
  secret: string;
  /** Basic auth header for the plugin-compatible API. */
  basic: string;
  /** Calls /wp-json/wu/v2/<path> (Basic auth unless `auth: false` or other headers given). */
  rest(method: string, path: string, options?: RestOptions): Promise<WireAnswer>;
  /** Calls /api/<path> with a JSON body. */
  api(method: string, path: string, body?: unknown): Promise<WireAnswer>;
  close(): Promise<void>;
}

export interface RestOptions {
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  auth?: boolean;
  headers?: Record<string, string>;
}

export interface WireAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when empty or not JSON). */
  json: unknown;
}

async function answer(res: Response): Promise<WireAnswer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startSandbox(
  options: ConfigInput = {},
  internals: ServerInternals = {},
): Promise<Sandbox> {
  const server = await startTestServer(options, internals);
  const key = (await server.context.store.settings.get('sandbox.api_key'))!;
  const secret = (await server.context.store.settings.get('sandbox.api_secret'))!;
  const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return {
    server,
    url: server.url,
    key,
    secret,
    basic,
    async rest(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.auth !== false) headers.authorization = basic;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      Object.assign(headers, options.headers);
      return answer(await fetch(`${server.url}/wp-json/wu/v2${path}`, { method, headers, body }));
    },
    async api(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'content-type': 'application/json' };
      }
      return answer(await fetch(`${server.url}/api${path}`, init));
    },
    close: () => server.close(),
  };
}

export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Requests being answered right now, and the most at once. */
  readonly active: number;
  readonly maxActive: number;
  /** Resolves once `count` requests arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(
  reply: (request: Received, index: number) => Reply | Promise<Reply> = () => ({}),
): Promise<Receiver> {
  const received: Received[] = [];
  let active = 0;
  let maxActive = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      const index = received.push(request) - 1;
      for (const waiter of waiters.splice(0)) {
        if (received.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
      const r = await reply(request, index);
      if (r.hang) {
        hanging.add(res);
        res.on('close', () => {
          hanging.delete(res);
          active -= 1;
        });
        return;
      }
      res.writeHead(r.status ?? 200, { 'content-type': 'text/plain', ...r.headers });
      res.end(r.body ?? 'ok');
      active -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
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
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Header pairs from Node's rawHeaders. */
export function pairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return out;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
