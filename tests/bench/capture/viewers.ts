// Live viewers for the capture benchmark, in their own process: connects N WebSocket viewers to
// one bin, prints "ready", records for each pushed request the time from capture (the server's
// received_at) to arrival, and prints {count, p50, p99} as JSON when its stdin closes.
import { WebSocket } from 'ws';
import { percentile } from '../percentile.js';

const [wsUrl, countText] = process.argv.slice(2);
const viewers = Number(countText ?? '50');
const latencies: number[] = [];
const MARKER = Buffer.from('"received_at":"');

function onMessage(data: Buffer): void {
  const now = Date.now();
  // Reads the timestamp without parsing the whole message (cheap, so this process keeps up).
  const at = data.indexOf(MARKER);
  if (at === -1) return;
  const start = at + MARKER.length;
  const receivedAt = Date.parse(data.toString('latin1', start, start + 24));
  latencies.push(now - receivedAt);
}

const sockets = await Promise.all(
  Array.from(
    { length: viewers },
    () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(wsUrl!, { perMessageDeflate: false });
        socket.on('message', (data) => onMessage(data as Buffer));
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      }),
  ),
);
console.log('ready');

process.stdin.resume();
process.stdin.on('end', () => {
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      count: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
    }),
  );
  for (const socket of sockets) socket.terminate();
  process.exit(0);
});
