/**
 * `npm run bench -- idle [--keep-alive 5000] [--viewers 1000] [--polls 10000]`: what idle clients
 * cost `umhooks serve` (SQLite file store, its own process): idle keep-alive connections, live
 * WebSocket viewers and waiting long-polls are opened together; the server's RSS and open file
 * descriptors are printed before, while they are held and after they have gone, with the capture
 * latency another client sees idle and under them. The last line is
 * `RESULT idle rss_mb=… held_rss_mb=… released_rss_mb=… p99_ratio=… fds_after=…`.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { cliPath } from '../support/server.js';
import { spawnChild, stop, waitFor } from './children.js';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
}

function status(pid: number): { rssMb: number; fds: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(text)?.[1]);
  return { rssMb: rssKb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-length': body.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Latency of `count` sequential captures on one keep-alive connection: p50 and p99 in ms. */
async function captureLatency(url: string, count = 300): Promise<{ p50: number; p99: number }> {
  // A fresh connection each round: the server closes keep-alive connections idle for 5 s.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const code = await post(agent, url, `{"n":${i}}`);
    if (code !== 200) throw new Error(`capture answered ${code}`);
    times.push(performance.now() - start);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p99: times[Math.floor(count * 0.99)]! };
}

/** Opens `count` connections that each sent one capture and now sit idle (keep-alive). */
async function idleConnections(url: URL, bin: string, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from(
      { length: Math.min(500, count - start) },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(Number(url.port), '127.0.0.1');
          socket.once('error', reject);
          socket.once('data', () => resolve(socket));
          socket.write(
            `POST /b/${bin}/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}`,
          );
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function viewers(url: URL, bin: string, count: number): Promise<WebSocket[]> {
  const opened: WebSocket[] = [];
  for (let start = 0; start < count; start += 250) {
    const batch = Array.from(
      { length: Math.min(250, count - start) },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${url.port}/ws?bin=${bin}`);
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        }),
    );
    opened.push(...(await Promise.all(batch)));
  }
  return opened;
}

function longPolls(url: URL, bin: string, count: number): http.ClientRequest[] {
  const polls: http.ClientRequest[] = [];
  for (let i = 0; i < count; i++) {
    const req = http.get(
      `http://127.0.0.1:${url.port}/api/bins/${bin}/requests/latest?wait=60`,
      { agent: false },
      (res) => res.resume(),
    );
    req.on('error', () => undefined);
    polls.push(req);
  }
  return polls;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(args: string[]): Promise<void> {
  const keepAlive = option(args, '--keep-alive', 5000);
  const viewerCount = option(args, '--viewers', 1000);
  const pollCount = option(args, '--polls', 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umhooks-bench-idle-'));
  const server = spawnChild([
    cliPath,
    'serve',
    '--port',
    '0',
    '--data',
    path.join(dir, 'bench.db'),
  ]);
  try {
    const base = new URL(
      /(http:\/\/127\.0\.0\.1:\d+)/.exec(await waitFor(server, /http:\/\/127\.0\.0\.1:\d+/))![1]!,
    );
    for (const id of ['bench-capture', 'bench-idle', 'bench-polls']) {
      const res = await fetch(`${base.origin}/api/bins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      if (res.status !== 201) throw new Error(`creating bin ${id}: ${res.status}`);
    }
    const pid = server.pid!;
    const captureUrl = `${base.origin}/b/bench-capture`;
    console.log(
      `idle benchmark: ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
    await captureLatency(captureUrl, 100); // warm-up
    const idle = await captureLatency(captureUrl);
    const before = status(pid);
    console.log(
      `idle:   capture p50 ${idle.p50.toFixed(2)} ms  p99 ${idle.p99.toFixed(2)} ms   server RSS ${before.rssMb.toFixed(0)} MB, ${before.fds} fds`,
    );

    const t0 = performance.now();
    const sockets = await idleConnections(base, 'bench-idle', keepAlive);
    const sockets2 = await viewers(base, 'bench-capture', viewerCount);
    const polls = longPolls(base, 'bench-polls', pollCount);
    await settle(1000);
    const held = status(pid);
    const loaded = await captureLatency(captureUrl);
    console.log(
      `held:   ${keepAlive} idle keep-alive, ${viewerCount} viewers, ${pollCount} long-polls (opened in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `        capture p50 ${loaded.p50.toFixed(2)} ms  p99 ${loaded.p99.toFixed(2)} ms (${(loaded.p99 / idle.p99).toFixed(2)}× idle p99)   server RSS ${held.rssMb.toFixed(0)} MB, ${held.fds} fds`,
    );

    for (const socket of sockets) socket.destroy();
    for (const socket of sockets2) socket.terminate();
    for (const poll of polls) poll.destroy();
    // Released once the server's descriptors are back near the idle count (bounded wait).
    const t1 = performance.now();
    let after = status(pid);
    while (after.fds > before.fds + 50 && performance.now() - t1 < 60_000) {
      await settle(250);
      after = status(pid);
    }
    const releasedS = ((performance.now() - t1) / 1000).toFixed(1);
    console.log(
      `gone:   server RSS ${after.rssMb.toFixed(0)} MB, ${after.fds} fds after ${releasedS} s (RSS stays near its peak: V8 keeps freed heap pages for reuse)`,
    );
    console.log(
      `RESULT idle rss_mb=${before.rssMb.toFixed(0)} held_rss_mb=${held.rssMb.toFixed(0)} released_rss_mb=${after.rssMb.toFixed(0)} p99_ratio=${(loaded.p99 / idle.p99).toFixed(2)} fds_held=${held.fds} fds_after=${after.fds}`,
    );
  } finally {
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
