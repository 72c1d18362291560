import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { send } from '../../support/http-client.js';
import { eventually } from '../../support/sandbox.js';
import { startTestServer } from '../../support/server.js';

/**
 * Idle clients are released when they go: keep-alive connections, live viewers and waiting
 * long-polls held together against a server in this process leave no descriptor behind (both
 * ends live here, so the process's descriptor count covers the server's side). Their cost in
 * memory and latency is measured by `npm run bench -- idle`, not here.
 */

const KEEP_ALIVE = 200;
const VIEWERS = 100;
const POLLS = 300;
let server: RunningServer;

const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ['idle-capture', 'idle-polls']) {
    await server.context.store.bins.create({ id, name: id, now: Date.now() });
  }
});
afterAll(async () => {
  await server.close();
});

describe.runIf(fs.existsSync('/proc/self/fd'))('idle clients', () => {
  it('keep-alive connections, viewers and long-polls are all released when the clients go', async () => {
    const port = Number(new URL(server.url).port);
    const baseline = openDescriptors();

    const sockets = await Promise.all(
      Array.from(
        { length: KEEP_ALIVE },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect(port, '127.0.0.1');
            socket.once('error', reject);
            socket.once('data', () => resolve(socket));
            socket.write(
              'POST /b/idle-capture HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}',
            );
          }),
      ),
    );
    const viewers = await Promise.all(
      Array.from(
        { length: VIEWERS },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?bin=idle-capture`);
            socket.once('open', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    const polls = Array.from({ length: POLLS }, () => {
      const req = http.get(
        `http://127.0.0.1:${port}/api/bins/idle-polls/requests/latest?wait=60`,
        { agent: false },
        (res) => res.resume(),
      );
      req.on('error', () => undefined);
      return req;
    });
    // Both ends of every connection are in this process.
    await eventually(
      () => (openDescriptors() >= baseline + 2 * (KEEP_ALIVE + VIEWERS + POLLS) ? true : undefined),
      20_000,
      'every client connected',
    );
    // Others are still served meanwhile.
    expect((await send(server.url, '/b/idle-capture', { body: '{"other":true}' })).status).toBe(
      200,
    );

    for (const socket of sockets) socket.destroy();
    for (const viewer of viewers) viewer.terminate();
    for (const poll of polls) poll.destroy();
    await eventually(
      () => (openDescriptors() <= baseline + 5 ? true : undefined),
      20_000,
      `descriptors back to ${baseline} (now ${openDescriptors()})`,
    );
  }, 60_000);
});
