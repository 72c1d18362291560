/**
 * `npm run bench -- capture [--store postgres://…] [--rounds n] [--max-requests n]`: the capture
 * hot path against plain node:http, the durable floor and a peer. `--max-requests` is umhooks'
 * ring buffer per bin (default 250,000: nothing is evicted); `--max-requests 500`, the server's
 * default, is what users run: once 500 are stored, every capture also evicts the oldest.
 *
 * Every party runs in its own process — the servers, the load generator (autocannon), the 50 live
 * viewers — so that on a 2-core machine server and client each get a core. In each of `--rounds`
 * rounds (3 by default; the servers stay up, the order is the same each round) autocannon drives:
 *  (a) plain node:http reading the body and answering;
 *  (f) the durable floor: node:http + better-sqlite3 in WAL, one transaction per event-loop turn,
 *      the answer after the commit, storing the same columns (tests/bench/capture/floor-server.ts);
 *  (i) the durable and searchable floor: (f) with an FTS5 trigram index of each request's text
 *      written in the same transaction (floor-server.ts --search-index), as umhooks searches;
 *  (p) the peer: mockttp recording every request (tests/bench/capture/peer-server.ts);
 *  (b) `umhooks serve` with the SQLite file store and one live viewer connected.
 * Ratios are taken within a round (the machine's load changes between rounds) and their median is
 * reported. Then (b) at half its median rate (p99), its peak RSS once 200,000 requests are stored,
 * and the live push latency (capture → viewer) to 50 viewers at 1,000 req/s. The last line is
 * `RESULT capture ratio=<b/a> floor_ratio=<b/f> indexed_floor_ratio=<b/i> peer_ratio=<b/p> p99_ms=…
 * rss_mb=… live_p99_ms=…`.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { WebSocket } from 'ws';
import { parsePostgresUrl } from '../../bin-server/src/store/postgres/connection.js';
import { cliPath, repoRoot } from '../support/server.js';
import { catalogBody } from './bodies.js';
import { autocannonBin, outputOf, scratchDir, spawnChild, stop, waitFor } from './children.js';
import type { BenchOptions } from './options.js';

const CONNECTIONS = 32;
const WARMUP_S = 3;
const MEASURE_S = 10;
/** Each party's closed-loop measurement per round: rounds × this is its total. */
const ROUND_S = 5;
const ROUNDS = 3;
const STORED_TARGET = 200_000;
const LIVE_VIEWERS = 50;
const LIVE_RATE = 1000;

const tsx = ['--import', 'tsx'];
/** The Node flags `npm start` runs the server with (root package.json), so (b) is what users run. */
function serverNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const flags = /\bnode((?:\s+--\S+)*)\s+bin-server\/scripts\/start\.mjs/.exec(
    pkg.scripts.start ?? '',
  );
  return flags?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** autocannon in its own process (closed loop: each connection sends as soon as it is answered). */
async function load(
  url: string,
  body: string,
  options: { duration?: number; amount?: number },
): Promise<LoadResult> {
  const args = [autocannonBin, '--json', '-c', String(CONNECTIONS), '-m', 'POST'];
  args.push('-H', 'content-type=application/json', '-b', body);
  if (options.amount) args.push('-a', String(options.amount));
  else args.push('-d', String(options.duration ?? MEASURE_S));
  args.push(url);
  const result = JSON.parse(await outputOf(spawnChild(args), 'load generator')) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    '2xx': number;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * A steady rate (open loop) in its own process. autocannon's rate limit sends each second's
 * budget in a burst at the start of the second, which measures bursts, not the rate.
 */
async function paced(
  url: string,
  body: string,
  rate: number,
  seconds = MEASURE_S,
): Promise<LoadResult> {
  const script = path.join(repoRoot, 'tests/bench/capture/paced.ts');
  const child = spawnChild([...tsx, script, url, String(Math.round(rate)), String(seconds), body]);
  const result = JSON.parse(await outputOf(child, 'load generator')) as LoadResult & {
    sent: number;
  };
  return result;
}

/**
 * CPU time a process has used, in µs (user + system, from /proc; Linux counts it in 1/100 s).
 * Unlike req/s, CPU per request hardly changes when other work shares the machine.
 */
function cpuMicros(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Peak resident set size of a process, from the kernel's high-water mark. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function line(label: string, r: LoadResult, cpuPerRequest?: number): string {
  const cpu = cpuPerRequest === undefined ? '' : `   server CPU ${n(cpuPerRequest)} µs/req`;
  const failed = r.failed ? `   (${r.failed} failed)` : '';
  return `${label.padEnd(44)} ${n(r.rps).padStart(7)} req/s   p50 ${n(r.p50, 1)} ms   p99 ${n(r.p99, 1)} ms${cpu}${failed}`;
}

type PartyKey = 'a' | 'f' | 'i' | 'p' | 'b';

interface Party {
  child: ChildProcess;
  url: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each field's median over the rounds. */
function medianOf(measured: Array<[LoadResult, number]>): [LoadResult, number] {
  const of = (pick: (r: LoadResult) => number) => median(measured.map(([r]) => pick(r)));
  return [
    {
      rps: of((r) => r.rps),
      p50: of((r) => r.p50),
      p99: of((r) => r.p99),
      ok: of((r) => r.ok),
      failed: measured.reduce((sum, [r]) => sum + r.failed, 0),
    },
    median(measured.map(([, cpu]) => cpu)),
  ];
}

/** A whole-number option ≥ 1, or its default. */
function wholeOption(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number ≥ 1`);
  return value;
}

/** Runs `measure` and returns its result with the CPU the server used per answered request. */
async function withCpu(
  pid: number,
  measure: () => Promise<LoadResult>,
): Promise<[LoadResult, number]> {
  const before = cpuMicros(pid);
  const result = await measure();
  return [result, (cpuMicros(pid) - before) / Math.max(1, result.ok)];
}

export const options: BenchOptions = {
  '--store': { value: 'postgres://…', help: 'capture into PostgreSQL instead of a SQLite file' },
  '--rounds': { value: 'n', help: 'rounds of the five parties (default 3)' },
  '--max-requests': { value: 'n', help: "umhooks' ring per bin (default 250,000: no eviction)" },
};

export async function run(args: string[]): Promise<void> {
  const storeIndex = args.indexOf('--store');
  const given = storeIndex === -1 ? undefined : args[storeIndex + 1];
  if (storeIndex !== -1 && !given) throw new Error('--store needs a URL, e.g. postgres://…');
  const { store, scratchSchema } = benchStore(given);
  const { event, body } = catalogBody();
  const rounds = wholeOption(args, '--rounds', ROUNDS);
  const maxRequests = wholeOption(args, '--max-requests', STORED_TARGET + 50_000);
  const cpu = os.cpus();
  console.log(
    `capture benchmark: ${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}, autocannon, ${CONNECTIONS} connections, ${body.length}-byte JSON POSTs (${event} sample), server flags: ${serverNodeFlags().join(' ') || 'none'}, --max-requests ${maxRequests}`,
  );

  const servers = await Promise.all(
    [
      ['plain-server.ts'],
      ['floor-server.ts'],
      ['floor-server.ts', '--search-index'],
      ['peer-server.ts'],
    ].map(async ([file, ...flags]) => {
      const script = path.join(repoRoot, 'tests/bench/capture', file!);
      const child = spawnChild([...tsx, script, ...flags]);
      const url = /http:\/\/\S+/.exec(await waitFor(child, /http:\/\/127\.0\.0\.1:\d+/))![0];
      return { child, url };
    }),
  );
  const [plain, floor, indexedFloor, peer] = servers as [Party, Party, Party, Party];

  // (b) umhooks capture, SQLite file (or --store), one live viewer
  const dir = scratchDir('umhooks-bench-');
  try {
    const serveArgs = [
      ...serverNodeFlags(),
      cliPath,
      'serve',
      '--port',
      '0',
      '--max-requests',
      String(maxRequests),
    ];
    serveArgs.push(...(store ? ['--store', store] : ['--data', path.join(dir, 'bench.db')]));
    const server = spawnChild(serveArgs);
    const output = await waitFor(server, /Capture URL\s+\S+/);
    const binUrl = /Capture URL\s+(\S+)/.exec(output)![1]!;
    const binId = binUrl.slice(binUrl.lastIndexOf('/') + 1);
    const wsUrl = `${new URL(binUrl).origin.replace(/^http/, 'ws')}/ws?bin=${binId}`;

    let pushed = 0;
    const viewer = new WebSocket(wsUrl);
    viewer.on('message', () => (pushed += 1));
    await new Promise((resolve, reject) => {
      viewer.once('open', resolve);
      viewer.once('error', reject);
    });

    let stored = 0;
    const parties: Array<{ label: string; pid: number; url: string; key: PartyKey }> = [
      { label: '(a) plain node:http', pid: plain.child.pid!, url: plain.url, key: 'a' },
      {
        label: '(f) floor: node:http + SQLite WAL',
        pid: floor.child.pid!,
        url: floor.url,
        key: 'f',
      },
      {
        label: '(i) floor + FTS5 trigram index',
        pid: indexedFloor.child.pid!,
        url: indexedFloor.url,
        key: 'i',
      },
      { label: '(p) peer: mockttp, recording', pid: peer.child.pid!, url: peer.url, key: 'p' },
      { label: '(b) umhooks capture, 1 live viewer', pid: server.pid!, url: binUrl, key: 'b' },
    ];
    for (const party of parties) {
      const warm = await load(party.url, body, { duration: WARMUP_S });
      if (party.key === 'b') stored += warm.ok;
    }
    const results: Record<PartyKey, Array<[LoadResult, number]>> = {
      a: [],
      f: [],
      i: [],
      p: [],
      b: [],
    };
    for (let round = 1; round <= rounds; round++) {
      for (const party of parties) {
        const measured = await withCpu(party.pid, () =>
          load(party.url, body, { duration: ROUND_S }),
        );
        results[party.key].push(measured);
        if (party.key === 'b') stored += measured[0].ok;
        console.log(line(`round ${round} ${party.label}`, ...measured));
      }
    }
    await Promise.all(servers.map(({ child }) => stop(child)));
    const ratios = (over: Exclude<PartyKey, 'b'>) =>
      median(results.b.map(([b], i) => b.rps / results[over][i]![0].rps));
    for (const party of parties) console.log(line(party.label, ...medianOf(results[party.key])));
    const b = medianOf(results.b)[0];
    const half = await paced(binUrl, body, b.rps / 2);
    stored += half.ok;
    console.log(line(`(b) at half rate (${n(b.rps / 2)} req/s)`, half));
    if (stored < STORED_TARGET)
      stored += (await load(binUrl, body, { amount: STORED_TARGET - stored })).ok;
    const rss = peakRssMb(server.pid!);
    let rows = stored;
    if (!store) {
      const db = new Database(path.join(dir, 'bench.db'), { readonly: true });
      rows = db
        .prepare('SELECT count(*) FROM requests WHERE bin_id = ?')
        .pluck()
        .get(binId) as number;
      db.close();
    } else {
      // The same count from the PostgreSQL store (its URL pins the schema).
      const client = new pg.Client({ connectionString: parsePostgresUrl(store).connectionString });
      await client.connect();
      const counted = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM requests WHERE bin_id = $1',
        [binId],
      );
      rows = counted.rows[0]!.n;
      await client.end();
    }
    console.log(
      `(b) peak RSS with ${n(rows)} requests stored      ${n(rss)} MB (live viewer got ${n(pushed)} pushes)`,
    );
    viewer.close();

    // Live push latency: 50 viewers in their own process, 1,000 req/s.
    const viewers = spawnChild([
      ...tsx,
      path.join(repoRoot, 'tests/bench/capture/viewers.ts'),
      wsUrl,
      String(LIVE_VIEWERS),
    ]);
    await waitFor(viewers, /ready/);
    const steady = await paced(binUrl, body, LIVE_RATE);
    const report = waitFor(viewers, /\{.*\}/);
    viewers.stdin!.end();
    const live = JSON.parse(/\{.*\}/.exec(await report)![0]) as {
      count: number;
      p50: number;
      p99: number;
    };
    console.log(
      `live push to ${LIVE_VIEWERS} viewers at ${n(steady.rps)} req/s   p50 ${n(live.p50)} ms   p99 ${n(live.p99)} ms   (${n(live.count)} messages of ${n(steady.ok * LIVE_VIEWERS)} expected)`,
    );
    await stop(viewers);
    await stop(server);

    console.log(
      `RESULT capture ratio=${ratios('a').toFixed(2)} floor_ratio=${ratios('f').toFixed(2)} indexed_floor_ratio=${ratios('i').toFixed(2)} peer_ratio=${ratios('p').toFixed(2)} p99_ms=${half.p99} rss_mb=${Math.round(rss)} live_p99_ms=${live.p99}`,
    );
  } finally {
    await Promise.all(servers.map(({ child }) => stop(child)));
    if (store && scratchSchema) await dropSchema(store, scratchSchema);
  }
}

/**
 * The --store URL the server gets. Without a `schema` parameter the run works in a scratch schema
 * of its own, dropped at the end: 200,000 benchmark requests never land in the database's
 * `public` schema. A schema the user names is used as it is, and kept.
 */
function benchStore(given: string | undefined): { store?: string; scratchSchema?: string } {
  if (!given) return {};
  const url = new URL(given);
  if (url.searchParams.has('schema')) return { store: given };
  const scratchSchema = `umhooks_bench_${process.pid}_${Date.now()}`;
  url.searchParams.set('schema', scratchSchema);
  return { store: url.toString(), scratchSchema };
}

async function dropSchema(store: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: parsePostgresUrl(store).connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
