import Database from 'better-sqlite3';
import type { Store } from '../types.js';
import { createSqliteBinStore } from './bins.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { openDataFile, prepareDataDirectory } from './data-file.js';
import { createSqliteDeliveryStore } from './deliveries.js';
import { migrate } from './migrations.js';
import { lockDataFile, type DataFileLock } from './owner-lock.js';
import { createSqliteRequestStore, type SqliteRequestStoreOptions } from './requests.js';
import { createSqliteForwardStore, createSqliteResponderStore } from './forwards.js';
import { createSqliteReplayStore } from './replays.js';
import { createSqliteSettingsStore } from './settings.js';
import { createSqliteWebhookStore } from './webhooks.js';
import { createWriteGate } from './write-gate.js';
import { createWriteQueue } from './write-queue.js';

export const MEMORY = ':memory:';

/**
 * The embedded store: one SQLite file in WAL mode (or a throwaway in-memory database), one
 * connection used from the event loop. Concurrent request inserts are group-committed.
 */
export function openSqliteStore(file: string, options: SqliteRequestStoreOptions = {}): Store {
  const memory = file === MEMORY;
  if (memory) return openDatabase(new Database(MEMORY), undefined, options);
  // Checked (read-only) and locked before anything is written: a file that is not umhooks' own,
  // or that a newer umhooks wrote, is left as it was, and gets no lock file beside it.
  prepareDataDirectory(file);
  const db = openDataFile(file);
  let lock: DataFileLock;
  try {
    lock = lockDataFile(file);
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    return openDatabase(db, lock, options);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function openDatabase(
  db: Database.Database,
  lock: DataFileLock | undefined,
  options: SqliteRequestStoreOptions,
): Store {
  const memory = lock === undefined;
  // Shut by the checkpointer while it restarts the WAL; the hot writers queue behind it.
  const gate = createWriteGate();
  let checkpointer: Checkpointer | undefined;
  try {
    if (!memory) {
      db.pragma('journal_mode = WAL');
      // NORMAL, chosen by measurement (capture benchmark, README): FULL fsyncs the WAL at every
      // commit, on the event loop — 0.2 ms on an idle disk, several ms on a busy one — which cost
      // 20-30% of capture throughput even with group commit, and stalled the UI, API and live
      // pushes with it. With NORMAL a commit is a write() into the OS page cache: an acknowledged
      // request survives the process being killed (SIGKILL, crash, OOM; the durability test
      // checks it) and the file is never corrupted. Only a power loss or kernel crash can roll
      // back the transactions committed since the last checkpoint's fsync (checkpointer.ts: a
      // round, 100 ms while writes go on, 250 ms at most after an idle spell).
      db.pragma('synchronous = NORMAL');
      // Checkpoints run on a worker thread instead (checkpointer.ts); a restarted WAL is cut back.
      db.pragma('wal_autocheckpoint = 0');
      db.pragma('journal_size_limit = 16777216');
      // A writer that finds the file busy (the checkpointer restarting the WAL) waits, not fails.
      db.pragma('busy_timeout = 5000');
    }
    db.pragma('temp_store = MEMORY');
    migrate(db);
    if (!memory) checkpointer = startCheckpointer(db.name, gate);
  } catch (error) {
    db.close();
    throw error;
  }

  const requests = createSqliteRequestStore(db, options, gate);
  // The sandbox's frequent small writes (outbox, attempts, counts) share one group commit per
  // turn of the event loop: no timer between a fire and its dispatch (write-queue.ts).
  const sandboxWrites = createWriteQueue(db, gate, 0);
  let closed = false;
  return {
    kind: memory ? 'memory' : 'sqlite',
    bins: createSqliteBinStore(db),
    requests,
    replays: createSqliteReplayStore(db, sandboxWrites),
    forwards: createSqliteForwardStore(db, sandboxWrites),
    responders: createSqliteResponderStore(db, sandboxWrites),
    webhooks: createSqliteWebhookStore(db, sandboxWrites),
    deliveries: createSqliteDeliveryStore(db, sandboxWrites, gate),
    settings: createSqliteSettingsStore(db),
    async close() {
      if (closed) return;
      closed = true;
      requests.stop();
      requests.flush();
      sandboxWrites.flush();
      // The checkpointer's connection goes first, so that closing the last connection folds the
      // WAL into the database and removes it. Its exit opens the write gate: anything the
      // flushes above held back for a restart in progress is written then.
      await checkpointer?.stop();
      requests.flush();
      sandboxWrites.flush();
      try {
        if (!memory) db.pragma('optimize');
      } catch {
        // Statistics only (e.g. the disk is full): closing matters more; the WAL keeps the data.
      }
      db.close();
      lock?.release();
    },
  };
}
