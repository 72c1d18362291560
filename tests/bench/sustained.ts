/**
 * `npm run bench -- sustained [--ring 100k] [--total 300k] [--every 50k]`: the SQLite store's
 * text index under sustained capture with eviction. 32 inserts in flight through the store (no
 * HTTP: the store's own limit), 1 KB JSON bodies, one bin whose ring holds `--ring` requests; once
 * it is full, every capture also evicts the oldest. Every `--every` inserts it prints the rate,
 * the insert latency (p99 and the slowest), a search for a string in one request, the index's
 * segments and pages per level, and the data file's size.
 *
 * What it watches for: an insert that waits for FTS5 to merge whole levels itself (FTS5's crisis
 * merge, when the store's own merge steps fall behind), and an index that keeps growing while the
 * number of requests it holds does not. The last line is `RESULT sustained max_insert_ms=…
 * index_growth=<index pages at the end / one interval after the ring filled> file_growth=<the
 * same for the data file>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../bin-server/src/store/sqlite/store.js';
import { fts5Levels } from '../support/fts5.js';
import { catalogBody } from './bodies.js';
import { scratchDir } from './children.js';
import type { BenchOptions } from './options.js';
import { percentile } from './percentile.js';
import { parseSize, sizeLabel } from './sizes.js';

const IN_FLIGHT = 32;
const BIN = 'sustained';

export const options: BenchOptions = {
  '--ring': { value: 'n', help: 'requests the bin keeps (default 100k)' },
  '--total': { value: 'n', help: 'requests inserted (default 300k)' },
  '--every': { value: 'n', help: 'inserts between two reports (default 50k)' },
};

function option(args: string[], name: string, fallback: string): number {
  const at = args.indexOf(name);
  return parseSize(at === -1 ? fallback : (args[at + 1] ?? ''), name);
}

export async function run(args: string[]): Promise<void> {
  const ring = option(args, '--ring', '100k');
  const total = option(args, '--total', '300k');
  const every = option(args, '--every', '50k');
  if (ring < 1 || every < 1) throw new Error('--ring and --every need a size of at least 1');
  if (total <= ring) throw new Error('--total must be more than --ring: nothing would be evicted');
  const { event, body } = catalogBody();
  const cpu = os.cpus();
  console.log(
    `sustained benchmark: ${new Date().toISOString()}, ${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}; ring ${sizeLabel(ring)}, ${sizeLabel(total)} inserted, ${IN_FLIGHT} in flight, ${body.length}-byte ${event} bodies`,
  );
  const dir = scratchDir('umhooks-bench-sustained-');
  const file = path.join(dir, 'sustained.db');
  const store = openSqliteStore(file);
  const reader = new Database(file, { readonly: true });
  const bytes = Buffer.from(body);
  try {
    await store.bins.create({ id: BIN, name: 'sustained', now: Date.now() });
    let next = 0;
    let intervalStart = performance.now();
    let slowest = 0;
    const latencies: number[] = [];
    const growth: Array<{ pages: number; fileBytes: number }> = [];

    const report = async (done: number): Promise<void> => {
      const rate = every / ((performance.now() - intervalStart) / 1000);
      intervalStart = performance.now();
      // Taken now: the other inserts go on while the search below runs.
      const interval = latencies.splice(0).sort((a, b) => a - b);
      // The needle of a request still in the ring: its body is the only one that holds it.
      const needle = `needle-${Math.floor((done - Math.min(ring, every) / 2) / 1000) * 1000}.`;
      const started = performance.now();
      const found = await store.requests.list(BIN, { includeBody: false, q: needle, limit: 50 });
      const searchMs = performance.now() - started;
      const levels = fts5Levels(reader, 'requests_search');
      const pages = levels.reduce((sum, level) => sum + level.pages, 0);
      const fileBytes = fs.statSync(file).size + walSize(file);
      if (done > ring) growth.push({ pages, fileBytes });
      const shape = levels
        .map((l) => `${l.segments}${l.merging ? `(merging ${l.merging})` : ''}`)
        .join(' ');
      console.log(
        `${sizeLabel(done).padStart(6)}  ${Math.round(rate).toLocaleString('en-US').padStart(6)} inserts/s   insert p99 ${percentile(interval, 99).toFixed(1)} ms, slowest ${interval.at(-1)!.toFixed(1)} ms   search ${searchMs.toFixed(1)} ms (${found.items.length} found)   index ${pages.toLocaleString('en-US')} pages, segments per level ${shape}   file ${(fileBytes / 1e6).toFixed(0)} MB`,
      );
    };

    const insertOne = async (): Promise<void> => {
      while (next < total) {
        const n = next++;
        const started = performance.now();
        await store.requests.insert(
          {
            id: `req_${n.toString(36).padStart(8, '0')}${Math.random().toString(36).slice(2, 10)}`,
            binId: BIN,
            receivedAt: Date.now(),
            method: 'POST',
            path: '/',
            query: '',
            rawHeaders: ['content-type', 'application/json'],
            body: n % 1000 === 0 ? Buffer.from(`{"marker":"needle-${n}."}`) : bytes,
            remoteAddress: '127.0.0.1',
            recognition: undefined,
          },
          ring,
        );
        const took = performance.now() - started;
        latencies.push(took);
        slowest = Math.max(slowest, took);
        if ((n + 1) % every === 0) await report(n + 1);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, insertOne));

    const first = growth[0];
    const last = growth.at(-1);
    const ratio = (pick: (g: { pages: number; fileBytes: number }) => number) =>
      first && last ? (pick(last) / pick(first)).toFixed(2) : 'n/a';
    console.log(
      `RESULT sustained max_insert_ms=${Math.round(slowest)} index_growth=${ratio((g) => g.pages)} file_growth=${ratio((g) => g.fileBytes)}`,
    );
  } finally {
    reader.close();
    await store.close();
  }
}

function walSize(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
