// The idle clients of the idle benchmark, in their own process so that the client that measures
// capture latency does not share an event loop with them. Arguments: origin, the bins for the idle
// keep-alive connections, the long-polls and the viewers, then the three counts. Opens the viewers
// and the long-polls, prints "waiting", then on a "keep-alive" line from stdin opens the idle
// keep-alive connections (last: the server closes them after 5 s idle, so the measurement follows
// at once) and prints "ready"; closes everything and exits when stdin ends.
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import { WebSocket } from 'ws';

const [origin, idleBin, pollBin, viewedBin, keepAliveText, viewerText, pollText] =
  process.argv.slice(2);
const base = new URL(origin!);
const port = Number(base.port);

async function inBatches<T>(count: number, size: number, open: () => Promise<T>): Promise<T[]> {
  const opened: T[] = [];
  for (let start = 0; start < count; start += size) {
    const batch = Array.from({ length: Math.min(size, count - start) }, open);
    opened.push(...(await Promise.all(batch)));
  }
  return opened;
}

/** A connection that sent one capture, read its answer and now sits idle (keep-alive). */
function idleConnection(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', () => resolve(socket));
    socket.write(
      `POST /b/${idleBin}/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}`,
    );
  });
}

function viewer(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?bin=${viewedBin}`, {
      perMessageDeflate: false,
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A long-poll whose request has been written out; it waits for a capture that never comes. */
function longPoll(): Promise<http.ClientRequest> {
  return new Promise((resolve) => {
    const req = http.get(
      `http://127.0.0.1:${port}/api/bins/${pollBin}/requests/latest?wait=60`,
      { agent: false },
      (res) => res.resume(),
    );
    req.on('error', () => undefined);
    req.once('finish', () => resolve(req));
  });
}

const viewers = await inBatches(Number(viewerText), 250, viewer);
const polls = await inBatches(Number(pollText), 500, longPoll);
console.log('waiting');

const input = readline.createInterface({ input: process.stdin });
let sockets: net.Socket[] = [];
input.on('line', (line) => {
  if (line !== 'keep-alive') return;
  void inBatches(Number(keepAliveText), 500, idleConnection).then((opened) => {
    sockets = opened;
    console.log('ready');
  });
});
input.on('close', () => {
  for (const socket of sockets) socket.destroy();
  for (const socket of viewers) socket.terminate();
  for (const poll of polls) poll.destroy();
  process.exit(0);
});
