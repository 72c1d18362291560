import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints (copying committed pages from the WAL into the database file, with an fsync of
 * each) run on a worker thread with its own connection, not on the event loop: SQLite's automatic
 * checkpoint would stall capture for milliseconds every ~1,000 pages. A PASSIVE checkpoint never
 * waits for or blocks the writer, but under sustained writes it never catches up completely, and
 * the WAL is only restarted from its beginning after one has. So once the WAL passes
 * `restartFrames`, the PASSIVE round (which did the bulk of the copying) is followed by a RESTART
 * one: it holds off writers while it copies the few frames left and syncs — a stall of about one
 * fsync, instead of a WAL that grows for as long as the traffic lasts.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

// Plain CommonJS run with `eval`, so the same code works from sources (tests) and from dist.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive && passive.log >= workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // Busy or closing: the next round catches up.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(
  file: string,
  intervalMs = 250,
  restartFrames = 4096,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, driver, intervalMs, restartFrames },
    // Its heap holds one connection and nothing else.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => undefined);
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
