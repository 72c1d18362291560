// Open-loop load at a steady rate, in its own process: request i is due at start + i / rate and
// its latency counts from that moment (so a stalled server cannot hide queued requests, unlike a
// closed loop). Prints {sent, ok, failed, rps, p50, p90, p99, p999, max} as JSON.
//
// It speaks HTTP/1.1 over raw keep-alive sockets (one request in flight per connection, the
// request bytes built once) instead of node:http's client: that client cost ~50 µs of CPU and
// garbage per request, and its own event-loop and GC pauses counted as server latency (measured
// against the plain node:http server at 4,500 req/s: p99 5.6-6.7 ms with it, see README).
import net from 'node:net';
import { percentile } from '../percentile.js';

const CONNECTIONS = 32;

const [target, rateText, secondsText, body] = process.argv.slice(2);
const url = new URL(target!);
const rate = Number(rateText);
const total = Math.round(rate * Number(secondsText));
const payload = Buffer.from(body!);
const request = Buffer.concat([
  Buffer.from(
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`,
  ),
  payload,
]);
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

const latencies: number[] = [];
let ok = 0;
let failed = 0;
let sent = 0;
let done = 0;
/** Due times of requests waiting for a free connection, oldest first. */
const queue: number[] = [];
let queueHead = 0;
let start = 0;

interface Connection {
  socket: net.Socket;
  /** Due time of the request in flight, or undefined when idle. */
  due: number | undefined;
  buffer: Buffer;
}
const idle: Connection[] = [];

function finish(): void {
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      sent,
      ok,
      failed,
      rps: Math.round(total / elapsed),
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      p999: round(percentile(latencies, 99.9)),
      max: round(latencies.at(-1)!),
    }),
  );
  process.exit(0);
}

function dispatch(connection: Connection): void {
  if (queueHead < queue.length) {
    connection.due = queue[queueHead++]!;
    connection.socket.write(request);
  } else {
    connection.due = undefined;
    idle.push(connection);
  }
}

/** Parses complete responses off the connection's buffer (bodies are Content-Length framed). */
function onData(connection: Connection, chunk: Buffer): void {
  connection.buffer =
    connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
  for (;;) {
    const end = connection.buffer.indexOf(HEADER_END);
    if (end === -1) return;
    const head = connection.buffer.toString('latin1', 0, end);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) throw new Error(`response without Content-Length:\n${head}`);
    const size = end + HEADER_END.length + Number(length[1]);
    if (connection.buffer.length < size) return;
    connection.buffer = connection.buffer.subarray(size);
    latencies.push(performance.now() - connection.due!);
    if (head.startsWith('HTTP/1.1 200')) ok++;
    else failed++;
    done++;
    if (done === total) return finish();
    dispatch(connection);
  }
}

/** Opens a connection; one the server closes (keep-alive timeout) is replaced. */
function connect(): Promise<void> {
  return new Promise((resolve) => {
    const connection: Connection = {
      socket: net.connect({ host: url.hostname, port: Number(url.port), noDelay: true }),
      due: undefined,
      buffer: Buffer.alloc(0),
    };
    connection.socket.on('data', (chunk: Buffer) => onData(connection, chunk));
    connection.socket.on('error', () => undefined); // 'close' follows
    connection.socket.once('close', () => {
      const index = idle.indexOf(connection);
      if (index !== -1) idle.splice(index, 1);
      if (connection.due !== undefined) {
        // Its request got no answer: a failure, at its due time.
        latencies.push(performance.now() - connection.due);
        failed++;
        done++;
        if (done === total) return finish();
      }
      if (done < total) void connect();
    });
    connection.socket.once('connect', () => {
      dispatch(connection);
      resolve();
    });
  });
}

// Connections are open before the clock starts: connecting is not what is measured.
await Promise.all(Array.from({ length: CONNECTIONS }, connect));

// Every millisecond or so, queue whatever has fallen due and hand it to idle connections.
start = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  while (sent < total && start + (sent * 1000) / rate <= now) {
    queue.push(start + (sent * 1000) / rate);
    sent++;
  }
  // Oldest idle connection first, so that every connection stays in use.
  while (idle.length > 0 && queueHead < queue.length) dispatch(idle.shift()!);
  if (sent === total) clearInterval(timer);
}, 1);
