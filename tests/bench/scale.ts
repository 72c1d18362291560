/**
 * `npm run bench -- scale [--sizes 10k,100k,1M] [--stores sqlite,postgres] [--reps 100]`: whether
 * the costs stay flat as the data grows. For each store and size, a fresh server (in this process,
 * the store filled through its own insert, batched) with one bin of that many requests, read
 * through the HTTP API (summaries, include_body=false):
 *  - the first page of the list (50), and a page 10,000 deep by its cursor;
 *  - a text search for a string present in one request (the complete answer: one item, no cursor),
 *    and the same combined with `event=`; `event=` alone for an event that one request has;
 *  - the long-poll: from a capture sent to the answer of a waiting `requests/latest?wait=`;
 *  - deleting the bin's requests (once);
 * then, with that many deliveries pending for one dead target (a server that never answers), the
 * claim time for the other targets (the store's claim, skipping the dead one) and the fire →
 * delivery latency to a live receiver. p50/p99 over `--reps` runs, in ms (nearest rank: with fewer
 * than 100 runs the p99 is the slowest one). The last line is
 * `RESULT scale <store>_<size>_worst_p99_ms=… <store>_<size>_worst_ratio=…` (the slowest read's p99,
 * and the largest p99 growth over the smallest size).
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encodeCursor } from '../../bin-server/src/api/requests/cursor.js';
import type { Recognition, Store } from '../../bin-server/src/store/types.js';
import { dropSchemas, sql, storeUrl, uniqueSchema } from '../support/postgres.js';
import { startTestServer } from '../support/server.js';
import { scratchDir } from './children.js';
import type { BenchOptions } from './options.js';
import { percentile } from './percentile.js';
import { parseSize, sizeLabel as label } from './sizes.js';

const PAGE = 50;
/** Idle time after each fill, before the reads are timed. */
const SETTLE_MS = 1000;
const DEEP = 10_000;
const LIVE_EVENT = 'payment_received';
const DEAD_EVENT = 'site_published';
/** The event of one request only (a quarter of the way in from the oldest). */
const RARE_EVENT = 'membership_expired';

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
}

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function timed(
  reps: number,
  run: () => Promise<void>,
): Promise<{ p50: number; p99: number }> {
  await run(); // warm: statements prepared, pages cached
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return percentiles(times);
}

/** The same for runs that time themselves (the part that counts): returns their percentiles. */
async function sampled(
  reps: number,
  run: () => Promise<number>,
): Promise<{ p50: number; p99: number }> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await run());
  return percentiles(times);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const recognized = (event: string): Recognition => ({
  expected: undefined,
  candidates: [{ event, score: 1, missing: [], extra: [], tie: false }],
  checkedEvent: event,
  issues: [],
});

const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

/** A webhook-like JSON body of about 600 bytes, different for every request. */
function bodyOf(i: number): Buffer {
  const items = Array.from({ length: 8 }, (_, k) => ({
    sku: `${words[(i + k) % words.length]}-${(i * 7919 + k * 104729) % 1_000_003}`,
    qty: (i + k) % 9,
  }));
  return Buffer.from(
    JSON.stringify({ event: 'payment.received', id: i, customer: `c${i % 5000}`, items }),
  );
}

/**
 * Fills `binId` with `count` requests; the one at `needleAt` holds `needle` and the event, the one
 * at `count / 4` the rare event.
 */
async function fill(
  store: Store,
  binId: string,
  count: number,
  needle: string,
  needleAt: number,
): Promise<void> {
  const batch = 2_000;
  const rareAt = Math.floor(count / 4);
  for (let start = 0; start < count; start += batch) {
    const inserts: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const body = i === needleAt ? Buffer.from(`{"note":"${needle}"}`) : bodyOf(i);
      inserts.push(
        store.requests.insert(
          {
            id: `req_scale_${binId}_${i}`,
            binId,
            receivedAt: Date.now(),
            method: 'POST',
            path: `/hooks/${i % 10}`,
            query: '',
            rawHeaders: ['Content-Type', 'application/json', 'User-Agent', 'bench'],
            body,
            remoteAddress: '127.0.0.1',
            // Every 100th is recognised, and the needle's request: event= has work to do.
            recognition:
              i === rareAt
                ? recognized(RARE_EVENT)
                : i % 100 === 0 || i === needleAt
                  ? recognized(LIVE_EVENT)
                  : undefined,
          },
          count,
        ),
      );
    }
    await Promise.all(inserts);
  }
}

/** A target that accepts connections and never answers: its deliveries wait for their timeout. */
async function deadTarget(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dead`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A receiver that notes when each delivery (by webhook-id) arrived. */
async function liveReceiver(): Promise<{
  url: string;
  arrived(id: string): Promise<number>;
  close(): void;
}> {
  const waiting = new Map<string, (at: number) => void>();
  const early = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      res.end('ok');
      const resolve = waiting.get(id);
      if (resolve) resolve(at);
      else early.set(id, at);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/live`,
    arrived: (id) =>
      early.has(id)
        ? Promise.resolve(early.get(id)!)
        : new Promise((resolve) => waiting.set(id, resolve)),
    close: () => server.close(),
  };
}

interface Row {
  store: string;
  size: number;
  name: string;
  p50: number;
  p99: number;
  /** A read (counts toward the targets), or a write/latency shown for reference. */
  read: boolean;
}

async function measure(
  kind: 'sqlite' | 'postgres',
  size: number,
  reps: number,
  dir: string,
  schemas: Set<string>,
): Promise<Row[]> {
  const rows: Row[] = [];
  const note = (name: string, t: { p50: number; p99: number }, read = true) => {
    rows.push({ store: kind, size, name, ...t, read });
    console.log(
      `${kind.padEnd(8)} ${label(size).padStart(5)}  ${name.padEnd(34)} p50 ${t.p50.toFixed(2).padStart(8)} ms   p99 ${t.p99.toFixed(2).padStart(8)} ms`,
    );
  };
  let options: Parameters<typeof startTestServer>[0];
  if (kind === 'sqlite') {
    options = { data: path.join(dir, `scale-${size}.db`), memory: false };
  } else {
    const schema = uniqueSchema('umhooks_scale');
    schemas.add(schema);
    options = { store: storeUrl(schema) };
  }
  const server = await startTestServer({ ...options, maxRequests: Math.max(size, 500) });
  const { store } = server.context;
  const base = server.url;
  const dead = await deadTarget();
  const live = await liveReceiver();
  try {
    const binId = `scale-${label(size).toLowerCase()}`;
    await store.bins.create({ id: binId, name: 'scale', now: Date.now() });
    const needle = `needle-${Math.random().toString(36).slice(2, 10)}`;
    const filled = performance.now();
    await fill(store, binId, size, needle, Math.floor(size / 2));
    console.log(
      `${kind.padEnd(8)} ${label(size).padStart(5)}  (filled in ${((performance.now() - filled) / 1000).toFixed(1)} s)`,
    );
    // The fill writes up to 1M requests in under a minute, faster than any capture: the store's
    // index upkeep then merges what it still owes (up to ~100 ms of steps) while the first reads
    // run. Measured is what reads cost at this size once the store has caught up.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const list = `${base}/api/bins/${binId}/requests?include_body=false&limit=${PAGE}`;
    type Page = { items: Array<{ id: string }>; next_cursor: string | null };

    note(
      'list: first page',
      await timed(reps, async () => {
        const page = await getJson<Page>(list);
        if (page.items.length !== Math.min(PAGE, size)) throw new Error('short first page');
      }),
    );
    // 10,000 deep (half way in a smaller bin).
    const deepCursor = encodeCursor(size - Math.min(DEEP, Math.floor(size / 2)));
    note(
      `list: page ${DEEP.toLocaleString('en-US')} deep`,
      await timed(reps, async () => {
        const page = await getJson<Page>(`${list}&cursor=${deepCursor}`);
        if (page.items.length === 0) throw new Error('empty deep page');
      }),
    );
    const complete = (page: Page) => {
      if (page.items.length !== 1 || page.next_cursor !== null) {
        throw new Error(`search: ${page.items.length} items, cursor ${page.next_cursor}`);
      }
    };
    note(
      'search: string in one request',
      await timed(reps, async () => complete(await getJson<Page>(`${list}&q=${needle}`))),
    );
    note(
      'search + event=',
      await timed(reps, async () =>
        complete(await getJson<Page>(`${list}&q=${needle}&event=${LIVE_EVENT}`)),
      ),
    );
    note(
      'event= alone (a rare event)',
      await timed(reps, async () => complete(await getJson<Page>(`${list}&event=${RARE_EVENT}`))),
    );
    note(
      'long-poll answer after a capture',
      await sampled(reps, async () => {
        // Waits for anything newer than the newest now: the capture answers it, whichever
        // reaches the server first.
        const [newest] = (
          await getJson<Page>(`${base}/api/bins/${binId}/requests?include_body=false&limit=1`)
        ).items;
        const waiting = fetch(
          `${base}/api/bins/${binId}/requests/latest?wait=10&after=${newest!.id}`,
        );
        const sent = performance.now();
        const captured = await fetch(`${base}/b/${binId}/poll`, { method: 'POST', body: '{}' });
        await captured.arrayBuffer();
        const answer = await waiting;
        await answer.arrayBuffer();
        if (answer.status !== 200) throw new Error(`long-poll answered ${answer.status}`);
        // From the capture sent to the long-poll answered, not the set-up before.
        return performance.now() - sent;
      }),
      false,
    );
    const cleared = performance.now();
    const del = await fetch(`${base}/api/bins/${binId}/requests`, { method: 'DELETE' });
    if (!del.ok) throw new Error(`DELETE requests: ${del.status}`);
    const clearMs = performance.now() - cleared;
    note('delete the bin requests (once)', { p50: clearMs, p99: clearMs }, false);

    // Deliveries: `size` pending for a dead target, due now.
    const post = async <T>(route: string, body: unknown): Promise<T> => {
      const res = await fetch(`${base}/api${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const deadHook = await post<{ id: number }>('/sandbox/webhooks', {
      name: 'Dead',
      webhook_url: dead.url,
      event: DEAD_EVENT,
      profile: 'standard',
    });
    await post('/sandbox/webhooks', {
      name: 'Live',
      webhook_url: live.url,
      event: LIVE_EVENT,
      profile: 'standard',
    });
    const enqueued = performance.now();
    for (let start = 0; start < size; start += 5_000) {
      await store.deliveries.enqueue(
        Array.from({ length: Math.min(5_000, size - start) }, (_, k) => ({
          id: `dlv_scale_${size}_${start + k}`,
          webhookId: deadHook.id,
          event: DEAD_EVENT,
          payload: '{"id":1}',
          profile: 'standard' as const,
          url: dead.url,
          createdAt: Date.now(),
        })),
      );
    }
    console.log(
      `${kind.padEnd(8)} ${label(size).padStart(5)}  (${label(size)} deliveries enqueued in ${((performance.now() - enqueued) / 1000).toFixed(1)} s)`,
    );
    const deadOrigin = new URL(dead.url).origin;
    note(
      'claim for other targets',
      await timed(reps, async () => {
        await store.deliveries.claim('bench-scale', {
          now: Date.now(),
          leaseMs: 30_000,
          limit: 64,
          excludeOrigins: [deadOrigin],
        });
      }),
    );
    note(
      'fire → delivery (live target)',
      await sampled(reps, async () => {
        const sent = performance.now();
        const fired = await post<{ deliveries: string[] }>('/sandbox/fire', { event: LIVE_EVENT });
        return (await live.arrived(fired.deliveries[0]!)) - sent;
      }),
      false,
    );
  } finally {
    dead.close();
    live.close();
    await server.close();
  }
  return rows;
}

export const options: BenchOptions = {
  '--sizes': { value: '10k,100k,1M', help: 'bin sizes to fill and read' },
  '--stores': { value: 'sqlite,postgres', help: 'stores to measure' },
  '--reps': { value: 'n', help: 'runs of each read (default 100)' },
};

export async function run(args: string[]): Promise<void> {
  const sizes = option(args, '--sizes', '10k,100k,1M')
    .split(',')
    .map((size) => parseSize(size, '--sizes'));
  const reps = Number(option(args, '--reps', '100'));
  // Checked here, not by the tests' import-time probe: loading the server on a busy machine can
  // outlast that probe's 3 s connect timeout.
  const postgres = await sql('SELECT 1').then(
    () => true,
    (error: Error) => {
      console.log(`postgres: skipped (${error.message}; the tests' server, database test)`);
      return false;
    },
  );
  const stores = option(args, '--stores', 'sqlite,postgres')
    .split(',')
    .filter((s): s is 'sqlite' | 'postgres' => s === 'sqlite' || (s === 'postgres' && postgres));
  const cpu = os.cpus();
  console.log(
    `scale benchmark: ${new Date().toISOString()}, ${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; sizes ${sizes.map(label).join(', ')}; ${reps} runs each`,
  );
  const dir = scratchDir('umhooks-bench-scale-');
  const schemas = new Set<string>();
  const rows: Row[] = [];
  try {
    for (const kind of stores) {
      for (const size of sizes) rows.push(...(await measure(kind, size, reps, dir, schemas)));
    }
  } finally {
    await dropSchemas(schemas);
  }
  const result: string[] = [];
  for (const kind of stores) {
    const smallest = Math.min(...sizes);
    for (const size of sizes) {
      const reads = rows.filter((r) => r.store === kind && r.size === size && r.read);
      const worst = Math.max(...reads.map((r) => r.p99));
      const ratio = Math.max(
        ...reads.map((r) => {
          const base = rows.find(
            (b) => b.store === kind && b.size === smallest && b.name === r.name,
          )!;
          return r.p99 / base.p99;
        }),
      );
      result.push(
        `${kind}_${label(size)}_worst_p99_ms=${worst.toFixed(1)} ${kind}_${label(size)}_worst_ratio=${ratio.toFixed(2)}`,
      );
    }
  }
  console.log(
    `load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`RESULT scale ${result.join(' ')}`);
}
