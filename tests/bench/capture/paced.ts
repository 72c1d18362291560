// Open-loop load at a steady rate, in its own process: request i is due at start + i / rate and
// its latency counts from that moment (so a stalled server cannot hide queued requests, unlike a
// closed loop). Prints {sent, ok, failed, rps, p50, p99, max} as JSON.
import http from 'node:http';

const [target, rateText, secondsText, body] = process.argv.slice(2);
const url = new URL(target!);
const rate = Number(rateText);
const total = Math.round(rate * Number(secondsText));
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const latencies: number[] = [];
let ok = 0;
let failed = 0;
let sent = 0;
let done = 0;
const start = performance.now();

function fire(due: number): void {
  const req = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body!) },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - due);
        if (res.statusCode === 200) ok++;
        else failed++;
        finish();
      });
    },
  );
  req.on('error', () => {
    failed++;
    finish();
  });
  req.end(body);
}

function finish(): void {
  done++;
  if (done < total) return;
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      sent,
      ok,
      failed,
      rps: Math.round(total / elapsed),
      p50: round(pick(0.5)),
      p99: round(pick(0.99)),
      max: round(latencies.at(-1)!),
    }),
  );
  agent.destroy();
}

// Every millisecond or so, send whatever has fallen due.
const timer = setInterval(() => {
  const now = performance.now();
  while (sent < total && start + (sent * 1000) / rate <= now) {
    fire(start + (sent * 1000) / rate);
    sent++;
  }
  if (sent === total) clearInterval(timer);
}, 1);
