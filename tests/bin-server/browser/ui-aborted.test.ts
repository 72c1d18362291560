import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { ensureUiBuilt } from '../../support/browser.js';
import { startTestServer } from '../../support/server.js';

/** Asks for `path` on a raw socket and closes it at once, before the answer is sent. */
function abandon(server: RunningServer, path: string): Promise<void> {
  const url = new URL(server.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
      socket.destroy();
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

describe('a page load the browser abandons', () => {
  let server: RunningServer;
  const logged: string[] = [];
  beforeAll(async () => {
    ensureUiBuilt();
    server = await startTestServer();
    server.context.log = (message) => logged.push(message);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is not logged as a server error', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    for (let i = 0; i < 20; i++) await abandon(server, script);
    // The server is fine and answers the next one whole.
    const whole = await fetch(`${server.url}${script}`);
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logged).toEqual([]);
  });
});
