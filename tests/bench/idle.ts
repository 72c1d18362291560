/**
 * `npm run bench -- idle [--keep-alive 5000] [--viewers 1000] [--polls 10000] [--samples 2000]`:
 * what idle clients cost `umhooks serve` (SQLite file store, its own process). Idle keep-alive
 * connections, live WebSocket viewers of another bin and waiting long-polls are held together by
 * a separate process; the server's RSS and open file descriptors are printed before, while they
 * are held and after they have gone, with the capture latency another client sees idle and under
 * them; then the same crowd once more (the memory the first held is reused, not added to). For
 * comparison (not idle), the same viewers then watch the captured bin. The last line is
 * `RESULT idle rss_mb=… held_rss_mb=… released_rss_mb=… quiet_rss_mb=… again_held_rss_mb=… p99_ratio=… again_p99_ratio=… fds_after=… fanout_p99_ratio=…`.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { cliPath, repoRoot } from '../support/server.js';
import { scratchDir, spawnChild, stop, waitFor } from './children.js';
import type { BenchOptions } from './options.js';
import { percentile } from './percentile.js';

const tsx = ['--import', 'tsx'];

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

interface Latency {
  p50: number;
  p99: number;
}

/** Latency of `count` sequential captures on one keep-alive connection: p50 and p99 in ms. */
async function captureLatency(url: string, count: number): Promise<Latency> {
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
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const describe = (l: Latency) => `capture p50 ${l.p50.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms`;

/** Waits until the server's open descriptors stop growing (every client it was sent is held). */
async function settledFds(pid: number, atLeast: number): Promise<{ rssMb: number; fds: number }> {
  let last = status(pid);
  const deadline = performance.now() + 60_000;
  for (;;) {
    await settle(500);
    const now = status(pid);
    // Stable and (within a few of the server's own descriptors) all there.
    if ((now.fds >= atLeast * 0.99 && now.fds === last.fds) || performance.now() > deadline) {
      return now;
    }
    last = now;
  }
}

/** Starts the holders' process and resolves once it has printed `line`. */
function nextLine(child: ChildProcess, line: string): Promise<void> {
  return waitFor(child, new RegExp(`^${line}$`, 'm'), 120_000).then(() => undefined);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const options: BenchOptions = {
  '--keep-alive': { value: 'n', help: 'idle keep-alive connections (default 5,000)' },
  '--viewers': { value: 'n', help: 'WebSocket viewers of another bin (default 1,000)' },
  '--polls': { value: 'n', help: 'waiting long-polls (default 10,000)' },
  '--samples': { value: 'n', help: 'captures timed per figure (default 2,000)' },
};

export async function run(args: string[]): Promise<void> {
  const keepAlive = option(args, '--keep-alive', 5000);
  const viewerCount = option(args, '--viewers', 1000);
  const pollCount = option(args, '--polls', 10_000);
  const samples = option(args, '--samples', 2000);
  const dir = scratchDir('umhooks-bench-idle-');
  const server = spawnChild([
    cliPath,
    'serve',
    '--port',
    '0',
    '--data',
    path.join(dir, 'bench.db'),
  ]);
  const holders: ChildProcess[] = [];
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
    const hold = (viewedBin: string, counts: [number, number, number]) => {
      const child = spawnChild([
        ...tsx,
        path.join(repoRoot, 'tests/bench/idle/holders.ts'),
        base.origin,
        'bench-idle',
        'bench-polls',
        viewedBin,
        ...counts.map(String),
      ]);
      holders.push(child);
      return child;
    };
    console.log(
      `idle benchmark: ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}; ${samples} sequential captures per figure, the idle clients in their own process`,
    );
    await captureLatency(captureUrl, 200); // warm-up
    const idle = await captureLatency(captureUrl, samples);
    const before = status(pid);
    console.log(
      `idle:   ${describe(idle)}   server RSS ${before.rssMb.toFixed(0)} MB, ${before.fds} fds`,
    );

    // The target case: clients that hold resources and do nothing (viewers watch another bin).
    // Held, measured, released; then the same again, to show the memory they held is reused.
    const crowd = async (label: string) => {
      const t0 = performance.now();
      const idleClients = hold('bench-idle', [keepAlive, viewerCount, pollCount]);
      await nextLine(idleClients, 'waiting');
      await settledFds(pid, before.fds + viewerCount + pollCount);
      idleClients.stdin!.write('keep-alive\n');
      await nextLine(idleClients, 'ready');
      const opened = ((performance.now() - t0) / 1000).toFixed(1);
      const held = status(pid);
      const loaded = await captureLatency(captureUrl, samples);
      const stillHeld = status(pid).fds;
      console.log(
        `${label} ${keepAlive} idle keep-alive, ${viewerCount} viewers of another bin, ${pollCount} long-polls (opened in ${opened} s)`,
      );
      console.log(
        `        ${describe(loaded)} (${(loaded.p99 / idle.p99).toFixed(2)}× idle p99)   server RSS ${held.rssMb.toFixed(0)} MB, ${held.fds} fds (${stillHeld} after measuring)`,
      );
      if (stillHeld < held.fds * 0.99) {
        console.log(
          `        (warning: ${held.fds - stillHeld} connections closed while measuring, so the figure includes closing them: the machine is too busy for the 5 s keep-alive window)`,
        );
      }
      idleClients.stdin!.end();
      await new Promise((resolve) => idleClients.once('exit', resolve));
      // Released once the server's descriptors are back near the idle count (bounded wait).
      const t1 = performance.now();
      let after = status(pid);
      while (after.fds > before.fds + 50 && performance.now() - t1 < 60_000) {
        await settle(250);
        after = status(pid);
      }
      const releasedS = ((performance.now() - t1) / 1000).toFixed(1);
      console.log(
        `gone:   server RSS ${after.rssMb.toFixed(0)} MB, ${after.fds} fds after ${releasedS} s`,
      );
      return { held, loaded, after };
    };
    const first = await crowd('held:  ');
    // V8 keeps freed heap pages for reuse rather than returning them at once.
    await settle(15_000);
    const quiet = status(pid);
    console.log(`        server RSS ${quiet.rssMb.toFixed(0)} MB after 15 s more without clients`);
    const second = await crowd('again: ');

    // Not idle, for comparison: the viewers watch the bin being captured, so each capture is
    // pushed to all of them before the next one is sent.
    const watchers = hold('bench-capture', [0, viewerCount, 0]);
    await nextLine(watchers, 'waiting');
    await settledFds(pid, before.fds + viewerCount);
    const fanOut = await captureLatency(captureUrl, samples);
    console.log(
      `fan-out: ${viewerCount} viewers of the captured bin: ${describe(fanOut)} (${(fanOut.p99 / idle.p99).toFixed(2)}× idle p99)`,
    );
    watchers.stdin!.end();

    console.log(
      `RESULT idle rss_mb=${before.rssMb.toFixed(0)} held_rss_mb=${first.held.rssMb.toFixed(0)} released_rss_mb=${first.after.rssMb.toFixed(0)} quiet_rss_mb=${quiet.rssMb.toFixed(0)} again_held_rss_mb=${second.held.rssMb.toFixed(0)} p99_ratio=${(first.loaded.p99 / idle.p99).toFixed(2)} again_p99_ratio=${(second.loaded.p99 / idle.p99).toFixed(2)} fds_held=${first.held.fds} fds_after=${second.after.fds} fanout_p99_ratio=${(fanOut.p99 / idle.p99).toFixed(2)}`,
    );
  } finally {
    for (const child of holders) await stop(child);
    await stop(server);
  }
}
