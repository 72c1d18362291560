// The idle clients of the idle benchmark, in their own process so that the client that measures
// capture latency does not share an event loop with them. Arguments: origin, the bins for the idle
// keep-alive connections, the long-polls and the viewers, then the three counts. Opens the viewers
// and the long-polls, prints "waiting", then on a "keep-alive" line from stdin opens the idle
// keep-alive connections (last: the server closes them after 5 s idle, so all are connected first,
// then each sends one capture at once, and the measurement follows) and prints "ready"; closes everything and exits when stdin ends.
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

/** A connection, open and not yet used. */
function connection(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

/**
 * Sends one request on `socket` and resolves once it is answered: then it sits idle (keep-alive).
 * A cheap read, not a capture: 5,000 captures just before measuring would measure their own
 * aftermath (the WAL checkpoint, the bin's eviction), not what idle connections cost.
 */
function useOnce(socket: net.Socket): Promise<net.Socket> {
  return new Promise((resolve) => {
    socket.once('data', () => resolve(socket));
    socket.write(`GET /api/bins/${idleBin} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
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

let closing = false;
const polls = new Set<http.ClientRequest>();

/**
 * A long-poll whose request has been written out; it waits for a capture that never comes, and
 * when its wait (at most 60 s) ends, another takes its place: the count holds however long the run.
 */
function longPoll(): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(
      `http://127.0.0.1:${port}/api/bins/${pollBin}/requests/latest?wait=60`,
      { agent: false },
      (res) => {
        res.resume();
        res.once('end', () => {
          polls.delete(req);
          if (!closing) void longPoll();
        });
      },
    );
    polls.add(req);
    req.on('error', () => polls.delete(req));
    req.once('finish', () => resolve());
  });
}

const viewers = await inBatches(Number(viewerText), 250, viewer);
await inBatches(Number(pollText), 500, longPoll);
console.log('waiting');

const input = readline.createInterface({ input: process.stdin });
let sockets: net.Socket[] = [];
input.on('line', (line) => {
  if (line !== 'keep-alive') return;
  // Connected first, then used all at once: they turn idle together, well inside the 5 s. In
  // batches below the listen backlog (511): past it, dropped SYNs are retried after 1, 3, 7… s.
  void inBatches(Number(keepAliveText), 250, connection)
    .then((opened) => Promise.all(opened.map(useOnce)))
    .then((idle) => {
      sockets = idle;
      console.log('ready');
    });
});
input.on('close', () => {
  closing = true;
  for (const socket of sockets) socket.destroy();
  for (const socket of viewers) socket.terminate();
  for (const poll of polls) poll.destroy();
  process.exit(0);
});
