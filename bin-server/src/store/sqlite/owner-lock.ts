import os from 'node:os';
import Database from 'better-sqlite3';

/** Held while a server uses a data file; `release` at close. */
export interface DataFileLock {
  release(): void;
}

/**
 * One server per SQLite data file. SQLite's WAL mode would let a second process open it, but two
 * servers on one file would each number, evict and checkpoint on their own, and each would miss
 * the other's live pushes. So the server holds a write transaction open on a small sidecar
 * database, `<data file>.lock`: SQLite takes an OS file lock (fcntl) for it, which the kernel
 * drops when the process ends however it ends — a crashed or SIGKILLed server never blocks the
 * next start, and there is no stale pid to guess about. The holder's pid is committed in the
 * file first (a reader may read while a write transaction is open), only to name it in the
 * refusal. The file stays after exit: deleting it could let two servers lock two different files.
 */
export function lockDataFile(file: string): DataFileLock {
  const lockFile = `${file}.lock`;
  let db: Database.Database;
  try {
    // timeout 0: a held lock answers SQLITE_BUSY at once instead of after the 5 s default.
    db = new Database(lockFile, { timeout: 0 });
  } catch (error) {
    throw new Error(
      `Cannot create the lock ${lockFile} (${(error as Error).message}): make the data directory writable, or pass another --data.`,
      { cause: error },
    );
  }
  // The owner row only names the holder in a refusal; the lock is the open transaction. Not
  // synced to disk: each fsync of its commit cost 5-20 ms of every start, waiting on the disk.
  db.pragma('synchronous = OFF');
  const claim = () => {
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      const owner = describeOwner(db);
      db.close();
      throw new DataFileInUseError(
        `The data file ${file} is in use by another umhooks${owner}: stop that one first, or pass another --data (one server per data file; several servers share a PostgreSQL --store instead).`,
        { cause: error },
      );
    }
  };
  try {
    claim();
    db.exec(`CREATE TABLE IF NOT EXISTS owner (
      pid        INTEGER NOT NULL,
      host       TEXT NOT NULL,
      started_at INTEGER NOT NULL
    ) STRICT; DELETE FROM owner`);
    db.prepare('INSERT INTO owner (pid, host, started_at) VALUES (?, ?, ?)').run(
      process.pid,
      os.hostname(),
      Date.now(),
    );
    db.exec('COMMIT');
    // Between COMMIT and here another process may have claimed it: then it owns the file.
    claim();
  } catch (error) {
    if (db.open) db.close();
    if (error instanceof DataFileInUseError) throw error;
    throw new Error(
      `Cannot use the lock ${lockFile} (${(error as Error).message}): if no umhooks is running on this data file, delete the lock file and start again.`,
      { cause: error },
    );
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** Another server holds the data file. */
class DataFileInUseError extends Error {
  readonly code = 'data_file_in_use';
}

/** ` (pid 123 on host, since …)` from the lock file, or nothing when it cannot be read yet. */
function describeOwner(db: Database.Database): string {
  try {
    // The holder may be committing its row this very moment: wait a little for that.
    db.pragma('busy_timeout = 1000');
    const owner = db.prepare('SELECT pid, host, started_at FROM owner').get() as
      { pid: number; host: string; started_at: number } | undefined;
    if (owner === undefined) return '';
    return ` (pid ${owner.pid} on ${owner.host}, since ${new Date(owner.started_at).toISOString()})`;
  } catch {
    return '';
  }
}
