import pg from 'pg';
import type { Store } from '../types.js';
import { createPostgresBinStore } from './bins.js';
import { connectionError, parsePostgresUrl, pgTypes, type PostgresSettings } from './connection.js';
import { createPostgresDeliveryStore } from './deliveries.js';
import { migrate } from './migrations.js';
import { createPostgresRequestStore, type PostgresRequestStoreOptions } from './requests.js';
import { createPostgresForwardStore, createPostgresResponderStore } from './forwards.js';
import { createPostgresReplayStore } from './replays.js';
import { createPostgresSettingsStore } from './settings.js';
import { createPostgresWebhookStore } from './webhooks.js';

export interface PostgresStoreOptions extends PostgresRequestStoreOptions {
  /** Called when an idle pooled connection fails (the pool replaces it). */
  log?: (message: string) => void;
}

/**
 * The scale-out store: every instance of a deployment opens the same database (and schema) and
 * shares its data. One pool per instance; the schema is created and migrated at open, under an
 * advisory lock so instances starting together do not race.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store & { readonly postgres: PostgresSettings }> {
  const settings = parsePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.poolSize,
    types: pgTypes,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that dies (server restart, network) is dropped and replaced by the pool;
  // without this listener the error would crash the process.
  const log = options.log ?? ((message: string) => console.error(message));
  pool.on('error', (error) => {
    log(`postgres: an idle connection failed and will be replaced: ${error.message}`);
  });

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectionError(settings, error);
  }
  let searchIndex: boolean;
  try {
    const index = await migrate(client, settings.schema);
    if (!index.indexed) log(index.warning);
    searchIndex = index.indexed && options.searchIndex !== false;
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => {});
    throw error;
  }
  client.release();

  const requests = createPostgresRequestStore(pool, { ...options, searchIndex });
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    postgres: settings,
    bins: createPostgresBinStore(pool),
    requests,
    replays: createPostgresReplayStore(pool),
    forwards: createPostgresForwardStore(pool),
    responders: createPostgresResponderStore(pool),
    webhooks: createPostgresWebhookStore(pool),
    deliveries: createPostgresDeliveryStore(pool),
    settings: createPostgresSettingsStore(pool),
    close() {
      closed ??= (async () => {
        // Inserts already submitted are written before the pool goes.
        await requests.drain();
        await pool.end();
      })();
      return closed;
    },
  };
}
