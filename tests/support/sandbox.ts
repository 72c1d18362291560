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
  rest<T = unknown>(method: string, path: string, options?: RestOptions): Promise<WireAnswer<T>>;
  /** Calls /api/<path> with a JSON body. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<WireAnswer<T>>;
  close(): Promise<void>;
}

interface RestOptions {
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  auth?: boolean;
  headers?: Record<string, string>;
}

interface WireAnswer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, typed as the caller expects it (undefined when empty or not JSON). */
  json: T;
}

async function answer<T>(res: Response): Promise<WireAnswer<T>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as T };
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
    async rest<T>(method: string, path: string, options: RestOptions = {}) {
      const headers: Record<string, string> = {};
      if (options.auth !== false) headers.authorization = basic;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      Object.assign(headers, options.headers);
      return answer<T>(
        await fetch(`${server.url}/wp-json/wu/v2${path}`, { method, headers, body }),
      );
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'content-type': 'application/json' };
      }
      return answer<T>(await fetch(`${server.url}/api${path}`, init));
    },
    close: () => server.close(),
  };
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
