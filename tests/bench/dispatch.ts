/**
 * `npm run bench -- dispatch`: how fast the sandbox delivers, against what the machine can post.
 *
 * One no-op receiver process serves both measurements:
 *  (a) the load generator (autocannon, its own process, 32 connections) posting a signed-size
 *      JSON body to the receiver: what this machine can push through one local HTTP target;
 *  (c) the client ceiling: an undici keep-alive Pool (32 connections, its own process) posting the
 *      same signed body, nothing stored (tests/bench/dispatch/ceiling.ts);
 *  (f) a minimal durable loop: a SQLite outbox (insert the fire, claim, one attempt row per
 *      delivery) sending as (c) does (tests/bench/dispatch/floor.ts);
 *  (b) `umhooks serve` (SQLite file, durable outbox) delivering with the `standard` profile
 *      (signed, webhook-id, attempt log) to 100 webhooks on that receiver, fired in batches
 *      through POST /api/sandbox/fire: deliveries/s from the first fire to the last arrival;
 * then the fire → delivery latency (p50/p99) while firing at half of (b)'s rate. The last line is
 * `RESULT dispatch ratio=<b/a> floor_ratio=<b/c> durable_ratio=<b/f> p99_fire_to_delivery_ms=<x>`.
 *
 * Options for short A/B runs: `--only-umhooks` skips (a), (c) and (f) (no ratios then); `--cli
 * <path>` runs another build's dist/cli/main.js (e.g. a copy of the base build);
 * `--deliveries <n>` fires n deliveries in (b) (default 60,000); `--latency-s <s>` (default 8);
 * `--latency-rate <n>` fires the latency run at n deliveries/s instead of half of (b) (two builds
 * compared at the same rate); `--cpu-prof <dir>` writes a CPU profile of the server there;
 * `--threaded-floor` also runs (f) with its posts on a worker thread (floor-sender.ts).
 * (b) also prints the server's CPU time per delivery (user + system, from /proc).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getEvent } from '@umhooks/core';
import { cliPath, repoRoot } from '../support/server.js';
import { autocannonBin, outputOf, scratchDir, spawnChild, stop, waitFor } from './children.js';
import type { BenchOptions } from './options.js';
import { percentile } from './percentile.js';

const CONNECTIONS = 32;
const MEASURE_S = 10;
const WEBHOOKS = 100;
const EVENT = 'payment_received';
/** Deliveries fired for the throughput run (b). */
const DEFAULT_DELIVERIES = 60_000;
/** Fire requests in flight at once during (b). */
const FIRE_CONCURRENCY = 4;
const DEFAULT_LATENCY_S = 8;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

/** CPU time (user + system) a process has used so far, in µs; Linux /proc only. */
function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (in parentheses, which may hold spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6;
}

const now = () => performance.timeOrigin + performance.now();
const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function autocannon(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  const args = [
    autocannonBin,
    '--json',
    '-c',
    String(CONNECTIONS),
    '-m',
    'POST',
    '-d',
    String(MEASURE_S),
  ];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push('-b', body, url);
  const stdout = await outputOf(spawnChild(args), 'autocannon');
  return (JSON.parse(stdout) as { requests: { average: number } }).requests.average;
}

/** Runs tests/bench/dispatch/<script> in its own process and parses the JSON it prints. */
async function scriptJson<T>(script: string, label: string, args: string[]): Promise<T> {
  const file = path.join(repoRoot, 'tests/bench/dispatch', script);
  return JSON.parse(await outputOf(spawnChild(['--import', 'tsx', file, ...args]), label)) as T;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Arrivals {
  requests: number;
  arrivals: Record<string, number>;
}

export const options: BenchOptions = {
  '--only-umhooks': { flag: true, help: 'skip (a), (c) and (f): the server alone, for A/B runs' },
  '--cli': { value: 'path', help: "another build's bin-server/dist/cli/main.js to measure" },
  '--deliveries': { value: 'n', help: 'deliveries fired for the throughput run (default 60,000)' },
  '--latency-s': { value: 's', help: 'seconds of the half-rate latency run (default 8)' },
  '--latency-rate': {
    value: 'n',
    help: 'deliveries/s of the latency run instead of half of (b) (A/B at one rate)',
  },
  '--cpu-prof': { value: 'dir', help: "write the server's CPU profile into dir" },
  '--threaded-floor': {
    flag: true,
    help: 'also run (f) with its posts on a worker thread: whether a second thread raises it',
  },
};

export async function run(args: string[]): Promise<void> {
  const onlyUmhooks = args.includes('--only-umhooks');
  const cli = option(args, '--cli') ?? cliPath;
  const THROUGHPUT_DELIVERIES = Number(option(args, '--deliveries') ?? DEFAULT_DELIVERIES);
  const LATENCY_S = Number(option(args, '--latency-s') ?? DEFAULT_LATENCY_S);
  const latencyRate = option(args, '--latency-rate');
  const profileDir = option(args, '--cpu-prof');
  const threadedFloor = args.includes('--threaded-floor');
  const sample = getEvent(EVENT)!.sample;
  const cpu = os.cpus();
  console.log(
    `dispatch benchmark: ${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, ${EVENT} sample (${JSON.stringify(sample).length} bytes), ${WEBHOOKS} webhooks, standard profile`,
  );
  const receiver = spawnChild([
    '--import',
    'tsx',
    path.join(repoRoot, 'tests/bench/dispatch/receiver.ts'),
  ]);
  const receiverUrl = /http:\/\/\S+/.exec(await waitFor(receiver, /http:\/\/127\.0\.0\.1:\d+/))![0];
  const dir = scratchDir('umhooks-bench-dispatch-');
  let server: ChildProcess | undefined;
  try {
    let a = NaN;
    let c = { rps: NaN };
    let f: { deliveries: number; seconds: number; rate: number } = {
      deliveries: 0,
      seconds: 0,
      rate: NaN,
    };
    // (a) the load generator's own rate against the receiver, with a delivery-sized body.
    const body = JSON.stringify(sample);
    const headers = {
      'content-type': 'application/json',
      'webhook-timestamp': '1700000000',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    if (!onlyUmhooks) {
      await autocannon(`${receiverUrl}/warmup`, body, headers);
      a = await autocannon(`${receiverUrl}/hook`, body, headers);
      console.log(`(a) autocannon → receiver                 ${n(a).padStart(7)} req/s`);

      // (c) the client ceiling and (f) the durable floor, each in its own process.
      c = await scriptJson<{ rps: number }>('ceiling.ts', 'client ceiling', [
        `${receiverUrl}/hook`,
        String(MEASURE_S),
        body,
        JSON.stringify(headers),
      ]);
      console.log(`(c) undici Pool → receiver, no storage    ${n(c.rps).padStart(7)} req/s`);
      f = await scriptJson<typeof f>('floor.ts', 'durable floor', [
        `${receiverUrl}/hook`,
        String(THROUGHPUT_DELIVERIES),
        String(WEBHOOKS),
        body,
        JSON.stringify(headers),
      ]);
      console.log(
        `(f) SQLite outbox + undici Pool           ${n(f.rate).padStart(7)} deliveries/s   (${n(f.deliveries)} in ${n(f.seconds, 1)} s)`,
      );
      if (threadedFloor) {
        const t = await scriptJson<typeof f>('floor.ts', 'threaded durable floor', [
          `${receiverUrl}/hook`,
          String(THROUGHPUT_DELIVERIES),
          String(WEBHOOKS),
          body,
          JSON.stringify(headers),
          '--threaded',
        ]);
        console.log(
          `(f) threaded: posts on a worker thread     ${n(t.rate).padStart(7)} deliveries/s   (${n(t.deliveries)} in ${n(t.seconds, 1)} s)`,
        );
      }
    }
    await fetch(`${receiverUrl}/__arrivals`, { method: 'DELETE' });

    // (b) umhooks: durable outbox, standard profile.
    server = spawnChild([
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      cli,
      'serve',
      '--port',
      '0',
      '--quiet',
      '--data',
      path.join(dir, 'bench.db'),
    ]);
    const base = /http:\/\/127\.0\.0\.1:\d+/.exec(
      await waitFor(server, /http:\/\/127\.0\.0\.1:\d+/),
    )![0];
    for (let i = 0; i < WEBHOOKS; i++) {
      await json(`${base}/api/sandbox/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Bench ${i}`,
          webhook_url: `${receiverUrl}/hook/${i}`,
          event: EVENT,
          profile: 'standard',
        }),
      });
    }
    const fireOnce = async (fired: Map<string, number>) => {
      const sent = now();
      const answer = await json<{ deliveries: string[] }>(`${base}/api/sandbox/fire`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: EVENT }),
      });
      for (const id of answer.deliveries) fired.set(id, sent);
    };
    // Polls the receiver's cheap counter; the arrival times are fetched once, at the end.
    const waitDelivered = async (fired: Map<string, number>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const count = Number(await (await fetch(`${receiverUrl}/__count`)).text());
        if (count >= fired.size) {
          const got = await json<Arrivals>(`${receiverUrl}/__arrivals`);
          const missing = [...fired.keys()].filter((id) => got.arrivals[id] === undefined).length;
          if (missing === 0) return got;
        }
        if (Date.now() > deadline) throw new Error(`deliveries missing after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // Warm-up: a few batches.
    const warm = new Map<string, number>();
    for (let i = 0; i < 10; i++) await fireOnce(warm);
    await waitDelivered(warm, 60_000);
    await fetch(`${receiverUrl}/__arrivals`, { method: 'DELETE' });

    const fired = new Map<string, number>();
    const fires = THROUGHPUT_DELIVERIES / WEBHOOKS;
    const started = now();
    const cpuBefore = cpuMicros(server.pid!);
    let next = 0;
    await Promise.all(
      Array.from({ length: FIRE_CONCURRENCY }, async () => {
        while (next < fires) {
          next += 1;
          await fireOnce(fired);
        }
      }),
    );
    const firedAt = now();
    const got = await waitDelivered(fired, 300_000);
    const cpuPerDelivery = (cpuMicros(server.pid!) - cpuBefore) / fired.size;
    const last = Math.max(...[...fired.keys()].map((id) => got.arrivals[id]!));
    const b = fired.size / ((last - started) / 1000);
    console.log(
      `(b) umhooks deliveries (durable, signed)  ${n(b).padStart(7)} deliveries/s   (${n(fired.size)} in ${n((last - started) / 1000, 1)} s; firing took ${n((firedAt - started) / 1000, 1)} s; ${n(got.requests - fired.size)} extra requests)`,
    );
    console.log(`    server CPU per delivery (user + system) ${n(cpuPerDelivery).padStart(7)} µs`);

    // Latency at half of (b)'s rate: one fire of WEBHOOKS deliveries every interval.
    await fetch(`${receiverUrl}/__arrivals`, { method: 'DELETE' });
    const paced = new Map<string, number>();
    const rate = latencyRate === undefined ? b / 2 : Number(latencyRate);
    const interval = (WEBHOOKS / rate) * 1000;
    const end = now() + LATENCY_S * 1000;
    const pending: Array<Promise<void>> = [];
    for (let t = now(); t < end; t += interval) {
      const wait = t - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(fireOnce(paced));
    }
    await Promise.all(pending);
    const arrivals = await waitDelivered(paced, 120_000);
    const latencies = [...paced.entries()]
      .map(([id, sent]) => arrivals.arrivals[id]! - sent)
      .sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `fire → delivery at ${n(rate)} deliveries/s   p50 ${n(p50, 1)} ms   p99 ${n(p99, 1)} ms   (${n(latencies.length)} deliveries)`,
    );
    // Per fire: when its first and its last delivery arrived (a fire is one burst of WEBHOOKS).
    const bursts = new Map<number, number[]>();
    for (const [id, sent] of paced) {
      const latency = arrivals.arrivals[id]! - sent;
      const burst = bursts.get(sent);
      if (burst) burst.push(latency);
      else bursts.set(sent, [latency]);
    }
    const firsts = [...bursts.values()].map((l) => Math.min(...l)).sort((x, y) => x - y);
    const lasts = [...bursts.values()].map((l) => Math.max(...l)).sort((x, y) => x - y);
    console.log(
      `    per fire: first delivery p50 ${n(percentile(firsts, 50), 1)} ms, last p50 ${n(percentile(lasts, 50), 1)} ms, last p99 ${n(percentile(lasts, 99), 1)} ms`,
    );
    console.log(
      `RESULT dispatch ratio=${(b / a).toFixed(2)} floor_ratio=${(b / c.rps).toFixed(2)} durable_ratio=${(b / f.rate).toFixed(2)} p99_fire_to_delivery_ms=${Math.round(p99)}`,
    );
  } finally {
    if (server) await stop(server);
    await stop(receiver);
  }
}
