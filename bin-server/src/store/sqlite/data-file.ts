import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { stepsToApply } from '../migrations.js';
import { appliedVersions, dataFilePlace, migrations } from './migrations.js';

// Everything that can be wrong with a --data path is found here, before anything is written to
// it, and reported as one message that says what to do (the CLI prints it, no stack trace).

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? (error as Error).message;
}

/**
 * Creates the data file's directory if needed and checks that umhooks can write there: SQLite
 * keeps its `-wal` and `-shm` files, and umhooks its lock (owner-lock.ts), beside the data file.
 */
export function prepareDataDirectory(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(
      `Cannot create the data directory ${dir} (${reason(error)}): create it, or pass another --data.`,
      { cause: error },
    );
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new Error(
      `The data directory ${dir} is not writable (${reason(error)}): umhooks keeps its data file, the SQLite journal and a lock there. Make it writable for this user, or pass another --data.`,
      { cause: error },
    );
  }
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isFile()) {
    throw new Error(`--data ${file} is not a file: pass a file, or a directory for umhooks.db.`);
  }
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch (error) {
    throw new Error(
      `The data file ${file} is not writable (${reason(error)}): make it writable for this user, or pass another --data.`,
      { cause: error },
    );
  }
}

/**
 * Opens `file` after checking, read-only, that it is an umhooks data file this version can use:
 * a SQLite database (or a new, empty file) whose schema is not newer than this umhooks knows.
 */
export function openDataFile(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new Error(
      `Cannot open the data file ${file} (${reason(error)}): check the path and its permissions, or pass another --data.`,
      { cause: error },
    );
  }
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    if (tables.length > 0 && !tables.includes('schema_migrations')) {
      throw new Error(
        `${file} is a SQLite database, but not an umhooks data file (it has no schema_migrations table): pass another --data. umhooks left it untouched.`,
      );
    }
    stepsToApply(appliedVersions(db), migrations, dataFilePlace(file));
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new Error(
        `${file} is not an umhooks data file (not a SQLite database): pass another --data (a new file, or a directory for umhooks.db). umhooks left it untouched.`,
        { cause: error },
      );
    }
    if (code === 'SQLITE_CORRUPT') {
      throw new Error(
        `The data file ${file} is damaged (${(error as Error).message}): restore it from a backup, or pass another --data. umhooks left it as it is.`,
        { cause: error },
      );
    }
    throw error;
  }
}
