import { dataFile, type Config } from '../config.js';
import { isPostgresUrl } from './postgres/url.js';
import type { Store } from './types.js';

/**
 * Picks the driver: PostgreSQL (`--store postgres://…`), in-memory SQLite (`--memory`) or the SQLite file.
 * Each is imported when picked: a SQLite start never loads `pg`, and the other way round.
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.store !== undefined) {
    if (isPostgresUrl(config.store)) {
      const { openPostgresStore } = await import('./postgres/store.js');
      return openPostgresStore(config.store);
    }
    throw new Error(
      `--store "${config.store}" is not a store URL: use postgres://user:password@host:5432/db, or leave --store out for SQLite.`,
    );
  }
  const { MEMORY, openSqliteStore } = await import('./sqlite/store.js');
  if (config.memory) return openSqliteStore(MEMORY);
  return openSqliteStore(dataFile(config.data));
}
