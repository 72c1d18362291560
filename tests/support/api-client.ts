import http from 'node:http';
import type { RunningServer } from '../../bin-server/src/server.js';
import type { BinJson } from '../../bin-server/src/wire/bin.js';
import { startTestServer } from './server.js';
import type { ConfigInput } from '../../bin-server/src/config.js';
import { toLiveMessage } from '../../bin-server/src/live/live-message.js';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the answer is JSON, else undefined. */
  json: unknown;
}

export interface ApiClient {
  server: RunningServer;
  url: string;
  call(path: string, init?: RequestInit): Promise<Answer>;
  /** JSON body with the right content type. */
  send(method: string, path: string, body: unknown): Promise<Answer>;
  createBin(input?: object): Promise<BinJson>;
  close(): Promise<void>;
}

export async function startApi(options: ConfigInput = {}): Promise<ApiClient> {
  const server = await startTestServer(options);
  const call = async (path: string, init?: RequestInit): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, init);
    const text = await response.text();
    let json: unknown;
    if (response.headers.get('content-type')?.includes('json')) json = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, json };
  };
  const send = (method: string, path: string, body: unknown) =>
    call(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    server,
    url: server.url,
    call,
    send,
    async createBin(input = {}) {
      const answer = await send('POST', '/api/bins', input);
      if (answer.status !== 201) throw new Error(`createBin: ${answer.status} ${answer.text}`);
      return answer.json as BinJson;
    },
    close: () => server.close(),
  };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request exactly as given: headers as [name, value] pairs in order (duplicates, any case,
 * latin1 bytes), the path untouched (fetch would normalise `/../`).
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Array<[string, string]>;
    body?: Uint8Array | string;
  } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const headers = [...(options.headers ?? [])];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  // With headers as an array node adds neither Host nor Content-Length.
  if (!has('host')) headers.unshift(['Host', target.host]);
  if (options.body !== undefined && !has('content-length') && !has('transfer-encoding')) {
    headers.push(['Content-Length', String(Buffer.byteLength(options.body))]);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path ?? `${target.pathname}${target.search}`,
        headers: headers.flat(),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Records what live viewers of a bin get: each domain event published on its bus topic (the
 * real in-process bus), as the live hub maps it.
 */
export function recordBus(
  server: RunningServer,
  binId: string,
): { messages: object[]; stop(): void } {
  const messages: object[] = [];
  const { context } = server;
  const bins = {
    baseUrl: () => context.baseUrl(),
    ttlMs: context.config.ttl,
    maxRequests: context.config.maxRequests,
  };
  const stop = context.bus.subscribe(`bin:${binId}`, (event) => {
    const message = toLiveMessage(event, bins);
    if (message) messages.push(message);
  });
  return { messages, stop };
}
