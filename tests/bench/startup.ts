/**
 * `npm run bench -- startup [--runs 7]`: how long `umhooks serve` takes from its process start to
 * its first answered request, against a plain node:http server started the same way in the same
 * run (so a busy machine slows both alike).
 *
 * Each run spawns a fresh process, waits for the address it prints, then sends one request and
 * times until the answer arrived:
 *  (a) plain node:http (tests/bench/capture/plain-server.ts, compiled: no tsx in the timing);
 *  (b) `umhooks serve` (bin/umhooks.js, as `npx umhooks serve` runs it) on an empty data file,
 *      answering `GET /api/bins`;
 *  (c) the same on a data file holding 200,000 stored requests (400 bins of 500);
 *  (d) `npm start` on an unchanged tree (the freshness check, no build), for the README.
 * Medians of the runs. The last line is `RESULT startup plain_ms=… empty_ms=… full_ms=… ratio=…`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/server.js';
import { outputOf, scratchDir, spawnChild, track } from './children.js';
import type { BenchOptions } from './options.js';

const STORED = 200_000;
const bin = path.join(repoRoot, 'bin-server/bin/umhooks.js');

/** Milliseconds from spawning `command` to the answer of the first request to `route`. */
async function firstAnswer(command: string, args: string[], route: string): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Its whole process group (`npm start` runs node under npm), also if the benchmark is stopped.
  const killGroup = () => {
    process.kill(-child.pid!, 'SIGKILL');
  };
  track(child, killGroup);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
        if (match) resolve(match[0]);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${command} exited (${code}):\n${output}`)));
    });
    const answer = await fetch(`${url}${route}`);
    await answer.arrayBuffer();
    if (!answer.ok) throw new Error(`${route} answered ${answer.status}`);
    return performance.now() - started;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup();
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const options: BenchOptions = {
  '--runs': { value: 'n', help: 'starts of each kind; medians are printed (default 7)' },
};

export async function run(args: string[]): Promise<void> {
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
  const dir = scratchDir('umhooks-bench-startup-');
  // The plain server, compiled once so each of its starts is Node's own.
  const plainJs = path.join(dir, 'plain-server.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'tests/bench/capture/plain-server.ts')],
    outfile: plainJs,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });

  const empty = path.join(dir, 'empty.db');
  const full = path.join(dir, 'full.db');
  const filling = performance.now();
  await outputOf(
    spawnChild(['--import', 'tsx', 'tests/bench/startup/fill.ts', full, String(STORED)]),
    'fill',
  );
  const fillSeconds = (performance.now() - filling) / 1000;
  const size = fs.statSync(full).size / 1024 / 1024;
  console.log(
    `filled ${full}: ${STORED.toLocaleString('en')} requests, ${size.toFixed(0)} MB, in ${fillSeconds.toFixed(1)} s`,
  );

  const serve = (file: string) => [bin, 'serve', '--port', '0', '--quiet', '--data', file];
  // One start each before measuring: the empty file gets its schema, both get their page cache.
  await firstAnswer(process.execPath, serve(empty), '/api/bins');
  await firstAnswer(process.execPath, serve(full), '/api/bins');

  const times = {
    plain: [] as number[],
    empty: [] as number[],
    full: [] as number[],
    npm: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    times.plain.push(await firstAnswer(process.execPath, [plainJs], '/'));
    times.empty.push(await firstAnswer(process.execPath, serve(empty), '/api/bins'));
    times.full.push(await firstAnswer(process.execPath, serve(full), '/api/bins'));
    times.npm.push(
      await firstAnswer(
        'npm',
        ['start', '--silent', '--', '--port', '0', '--quiet', '--data', empty],
        '/api/bins',
      ),
    );
  }
  const plain = median(times.plain);
  const emptyMs = median(times.empty);
  const fullMs = median(times.full);
  const npmMs = median(times.npm);
  const row = (label: string, ms: number, all: number[]) =>
    console.log(
      `${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms   (${(ms / plain).toFixed(1)}x plain; runs: ${all.map((t) => t.toFixed(0)).join(' ')})`,
    );
  console.log(`\ntime from process start to the first answered request, median of ${runs}:`);
  row('(a) plain node:http', plain, times.plain);
  row('(b) umhooks serve, empty data file', emptyMs, times.empty);
  row(`(c) umhooks serve, ${STORED.toLocaleString('en')} stored requests`, fullMs, times.full);
  row('(d) npm start, unchanged tree (empty file)', npmMs, times.npm);
  console.log(
    `RESULT startup plain_ms=${plain.toFixed(0)} empty_ms=${emptyMs.toFixed(0)} full_ms=${fullMs.toFixed(0)} ratio=${(Math.max(emptyMs, fullMs) / plain).toFixed(2)} npm_start_ms=${npmMs.toFixed(0)}`,
  );
}
