import { WebSocket } from 'ws';
import type { LiveMessage } from '../../bin-server/src/wire/live.js';

export interface LiveViewer {
  socket: WebSocket;
  /** Every message received so far, in order. */
  messages: LiveMessage[];
  /** Resolves once `predicate` holds for the messages so far (waiting for more as they come). */
  until(predicate: (all: LiveMessage[]) => boolean): Promise<void>;
  /** Resolves with the first message that matches (waiting for it), or fails after `ms`. */
  next(match: (m: LiveMessage) => boolean, ms?: number): Promise<LiveMessage>;
  close(): void;
}

/** A live viewer on `/ws?<query>` of the server at `base` (http URL) that records every message. */
export async function liveViewer(
  base: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<LiveViewer> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?${query}`, { headers });
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
  const nextMessage = () => new Promise<void>((resolve) => waiters.push(resolve));
  return {
    socket,
    messages,
    async until(predicate) {
      while (!predicate(messages)) await nextMessage();
    },
    async next(match, ms = 10_000) {
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
    },
    close: () => socket.terminate(),
  };
}
