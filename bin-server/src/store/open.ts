import { dataFile, type Config } from '../config.js';
import { isPostgresUrl } from './postgres/connection.js';
import { openPostgresStore } from './postgres/store.js';
import { MEMORY, openSqliteStore } from './sqlite/store.js';
import type { Store } from './types.js';

/** Picks the driver: PostgreSQL (`--store postgres://…`), in-memory SQLite (`--memory`) or the SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  if (config.store !== undefined) {
    if (isPostgresUrl(config.store)) return openPostgresStore(config.store);
    throw new Error(
      `--store "${config.store}" is not a store URL: use postgres://user:password@host:5432/db, or leave --store out for SQLite.`,
    );
  }
  if (config.memory) return openSqliteStore(MEMORY);
  return openSqliteStore(dataFile(config.data));
}
