import os from 'node:os';
import pg from 'pg';
import { isPostgresUrl } from './url.js';

/**
 * What a `postgres://…` store URL says, split into what `pg` needs and what umhooks adds:
 *
 *   postgres://user:password@host:5432/db?schema=umhooks&pool_size=10
 *
 * `schema` (default `public`) holds every umhooks table, so several umhooks deployments (or test
 * runs) can share one database; it is created at start if missing. `pool_size` (default 10) caps
 * the store's connections per instance; the bus holds one more. Every other parameter goes to
 * `pg` as is (sslmode, application_name, options…).
 */
export interface PostgresSettings {
  /** For `pg.Pool` / `pg.Client`: the URL with `search_path` pinned to the schema. */
  connectionString: string;
  /** The same for the bus's LISTEN connection (named apart in pg_stat_activity). */
  busConnectionString: string;
  schema: string;
  poolSize: number;
  /** The LISTEN/NOTIFY channel of this schema's bus. */
  channel: string;
  /** `host:port/db (schema s)`, without credentials: for messages. */
  label: string;
}

/** Lower-case identifiers only: no quoting surprises, and the channel name stays under 63 bytes. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

export function parsePostgresUrl(text: string): PostgresSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      'The --store URL is not a valid URL: use postgres://user:password@host:5432/database (percent-encode special characters in the password).',
    );
  }
  if (!isPostgresUrl(text)) {
    throw new Error(`--store must start with postgres:// or postgresql://, not ${url.protocol}//.`);
  }
  const schema = url.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new Error(
      `schema=${JSON.stringify(schema)} in the --store URL is not usable: use 1 to 48 lower-case letters, digits and "_", starting with a letter or "_".`,
    );
  }
  const poolText = url.searchParams.get('pool_size') ?? '10';
  const poolSize = Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 2 || poolSize > 100) {
    throw new Error(
      `pool_size=${poolText} in the --store URL must be a whole number from 2 to 100.`,
    );
  }
  defaultUser(url);
  url.searchParams.delete('schema');
  url.searchParams.delete('pool_size');
  // Every connection resolves unqualified table names in our schema only. Set at connect time
  // (a startup option), so no query can ever run before it.
  const options = [url.searchParams.get('options'), `-c search_path=${schema}`]
    .filter(Boolean)
    .join(' ');
  url.searchParams.set('options', options);
  // Named in pg_stat_activity, unless the URL names them itself.
  const named = url.searchParams.has('application_name');
  if (!named) url.searchParams.set('application_name', 'umhooks');
  const connectionString = url.toString();
  if (!named) url.searchParams.set('application_name', 'umhooks bus');
  // A NOTIFY commits a transaction; live messages need no durable commit (no WAL flush wait).
  url.searchParams.set('options', `${options} -c synchronous_commit=off`);
  const busConnectionString = url.toString();

  const database = decodeURIComponent(url.pathname.slice(1)) || '(default database)';
  const host = url.hostname || 'localhost';
  return {
    connectionString,
    busConnectionString,
    schema,
    poolSize,
    channel: `umhooks_${schema}`,
    label: `${host}:${url.port || '5432'}/${database} (schema ${schema})`,
  };
}

/**
 * Like libpq (psql): without a user in the URL or PGUSER, connect as the operating-system user.
 * `pg` alone would read only $USER, which services and containers often lack.
 */
function defaultUser(url: URL): void {
  if (url.username || url.searchParams.has('user') || process.env.PGUSER || process.env.USER)
    return;
  try {
    url.username = encodeURIComponent(os.userInfo().username);
  } catch {
    // No user database entry (an arbitrary container uid): let the server say what is missing.
  }
}

/** A URL for a plain `pg.Client` (tests, tools): the default user filled in as the store does. */
export function clientUrl(text: string): string {
  const url = new URL(text);
  defaultUser(url);
  return url.toString();
}

/**
 * Type parsers for our columns: BIGINT (epoch ms, counts, ids) as JS numbers — every value we
 * store stays below 2^53 — instead of pg's default strings. Scoped to our clients, not global.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text') =>
    oid === pg.types.builtins.INT8 && format === 'text'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Error text that names the server but never the password. */
export function connectionError(settings: PostgresSettings, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `Cannot use the PostgreSQL store at ${settings.label}: ${reason}. Check that PostgreSQL runs and accepts this user, password and database (the --store URL or UMHOOKS_STORE).`,
    { cause: error },
  );
}
