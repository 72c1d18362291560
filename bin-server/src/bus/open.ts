import type { Config } from '../config.js';
import { isPostgresUrl } from '../store/postgres/url.js';
import { createMemoryBus } from './memory.js';
import type { Bus } from './types.js';

/**
 * The bus that goes with the store: LISTEN/NOTIFY on the PostgreSQL store (every instance of a
 * deployment sees every live message), else the in-process one.
 */
export async function openBus(config: Config, log: (message: string) => void): Promise<Bus> {
  if (config.store === undefined || !isPostgresUrl(config.store)) return createMemoryBus(log);
  // Imported here: only a PostgreSQL deployment loads `pg`.
  const { parsePostgresUrl } = await import('../store/postgres/connection.js');
  const { createPostgresBus } = await import('./postgres.js');
  const settings = parsePostgresUrl(config.store);
  try {
    return await createPostgresBus({
      connectionString: settings.busConnectionString,
      channel: settings.channel,
      log,
    });
  } catch (error) {
    throw new Error(
      `Cannot listen for live updates on PostgreSQL at ${settings.label}: ${(error as Error).message}.`,
      { cause: error },
    );
  }
}
