import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { WriteGate } from './write-gate.js';

/**
 * WAL checkpoints (copying committed pages from the WAL into the database file, with an fsync of
 * each) run on a worker thread with its own connection, not on the event loop: SQLite's automatic
 * checkpoint would stall capture for milliseconds every ~1,000 pages. A PASSIVE checkpoint never
 * waits for or blocks the writer, but under sustained writes it never catches up completely, and
 * the WAL is only restarted from its beginning after one has. So once the WAL passes
 * `restartFrames`, the PASSIVE round (which did the bulk of the copying) is followed by a RESTART
 * one: it holds off writers while it copies the few frames left and syncs. The worker asks first,
 * and the event loop shuts its write gate (write-gate.ts) until the restart is done, so its
 * writers queue their work for those few milliseconds instead of sleeping in SQLite's busy
 * handler.
 *
 * Before asking, the worker catches up while writers go on: SQLite fsyncs the database file only
 * after a checkpoint that copied the whole WAL, which under sustained writes a PASSIVE round never
 * does, so every page copied since the last restart sat unsynced in the page cache and the
 * RESTART flushed them all with the gate shut (measured: 10-45 ms shut, twice a second at half
 * the capture rate). Rounds of PASSIVE + fdatasync of the database file leave the RESTART only
 * what was written during the last round: ~2 ms.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Catch-up rounds before a restart at most, and how short a round is once caught up. */
const CATCH_UP_ROUNDS = 8;
const CAUGHT_UP_MS = 2;

// Plain CommonJS run with `eval`, so the same code works from sources (tests) and from dist.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { fdatasyncSync, openSync, closeSync } = require('node:fs');
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
// Only for fdatasync: it flushes the file's dirty pages whichever descriptor asks.
const dataFile = openSync(workerData.file, 'r');
let restartAsked = false;
const catchUp = () => {
  try {
    for (let round = 0; round < ${CATCH_UP_ROUNDS}; round++) {
      const start = performance.now();
      db.pragma('wal_checkpoint(PASSIVE)');
      fdatasyncSync(dataFile);
      // A short round found little written since the one before: the restart will find as little.
      if (performance.now() - start < ${CAUGHT_UP_MS}) return;
    }
  } catch {
    // Busy, or the sync failed (a full disk): the restart does what is left, or fails in turn.
  }
};
// Returns the WAL's length in frames, or undefined when the round did not learn it.
const checkpoint = () => {
  if (restartAsked) return undefined;
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive && passive.log >= workerData.restartFrames) {
      catchUp();
      restartAsked = true;
      parentPort.postMessage('restart?');
    }
    return passive?.log;
  } catch {
    // Busy or closing: the next round catches up.
    return undefined;
  }
};
// Every interval while the WAL grows; while nothing is written, each wait twice the one before,
// up to idleMs, and back to the interval at the first round that finds new frames.
let delay = workerData.intervalMs;
let lastLog;
let timer;
const round = () => {
  const log = checkpoint();
  const quiet = log !== undefined && log === lastLog;
  delay = quiet ? Math.min(delay * 2, workerData.idleMs) : workerData.intervalMs;
  lastLog = log;
  timer = setTimeout(round, delay);
};
timer = setTimeout(round, delay);
parentPort.on('message', (message) => {
  if (message === 'go') {
    // The event loop holds its writes until 'restarted'.
    try {
      db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // Busy or closing: the next round tries again.
    }
    restartAsked = false;
    parentPort.postMessage('restarted');
    return;
  }
  clearTimeout(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Closing anyway: the last connection to close checkpoints the rest.
  }
  db.close();
  closeSync(dataFile);
  parentPort.close();
});
`;

/**
 * How often the worker checkpoints. Each PASSIVE round fsyncs the WAL before copying it (SQLite
 * does, synchronous=NORMAL), and on ext4 the event loop's next commit, a write() to that same
 * WAL, waits for the sync: every 250 ms that was a 7 ms commit at half the capture rate, every
 * 1,000 ms 16-24 ms (timing each group commit inside `umhooks serve`), so the cost grows with
 * the WAL written between rounds. Every 100 ms the commits waiting on a sync take ~1-3 ms, and an
 * acknowledged request is on disk (power loss included) a round sooner.
 */
const INTERVAL_MS = 100;
/**
 * The longest wait between two rounds while nothing is written: an idle server wakes the worker
 * four times a second, as with the old fixed 250 ms, not ten (measured over 60 s idle: 5.2 ms of
 * CPU a second at a fixed 100 ms, 4.3 at 250). The first write after an idle spell reaches the
 * disk within this, as before.
 */
const IDLE_MS = 250;
const START_AFTER_MS = 250;

/** If a restart has not reported back by then, writers go ahead (and wait in SQLite if need be). */
const GATE_LIMIT_MS = 5000;

export function startCheckpointer(
  file: string,
  gate: WriteGate,
  intervalMs = INTERVAL_MS,
  restartFrames = 4096,
): Checkpointer {
  let running: Checkpointer | undefined;
  // The worker (a thread booting its own Node environment and SQLite connection: tens of ms of
  // CPU) starts 250 ms later: a server's start-up does not wait for it or share the CPU with it.
  // The WAL only grows meanwhile; nothing to lose.
  const later = setTimeout(() => {
    running = runCheckpointer(file, gate, intervalMs, restartFrames);
  }, START_AFTER_MS);
  later.unref();
  return {
    async stop() {
      clearTimeout(later);
      await running?.stop();
    },
  };
}

function runCheckpointer(
  file: string,
  gate: WriteGate,
  intervalMs: number,
  restartFrames: number,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, driver, intervalMs, idleMs: Math.max(intervalMs, IDLE_MS), restartFrames },
    // Its heap holds one connection and nothing else.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  let limit: NodeJS.Timeout | undefined;
  const reopen = () => {
    clearTimeout(limit);
    gate.open();
  };
  worker.on('message', (message) => {
    if (message === 'restart?') {
      // No write transaction is open between two turns of the event loop: safe to shut here.
      gate.close();
      limit = setTimeout(reopen, GATE_LIMIT_MS).unref();
      worker.postMessage('go');
    } else if (message === 'restarted') reopen();
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      reopen();
      resolve();
    }),
  );
  worker.on('error', () => undefined);
  return {
    async stop() {
      // Unref'd while it runs (it must not keep a server alive), but a close waits for it: a
      // short script's event loop would otherwise end before the exit, and close() with it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
