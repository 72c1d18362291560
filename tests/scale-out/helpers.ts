import { WebSocket } from 'ws';
import type { LiveMessage } from '../../bin-server/src/views/live.js';

/** A live viewer on `/ws?<query>` of the server at `base` that records every message. */
export async function viewer(base: string, query: string) {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?${query}`);
  const messages: LiveMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as LiveMessage);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  /** Resolves with the first message that matches (waiting for it), or fails after `ms`. */
  const next = async (match: (m: LiveMessage) => boolean, ms = 10_000): Promise<LiveMessage> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching live message within ${ms} ms; got ${JSON.stringify(messages)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { socket, messages, next, close: () => socket.terminate() };
}

/** JSON over HTTP: the status and the parsed body (undefined when empty). */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}
