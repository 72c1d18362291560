import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { clientUrl } from '../../bin-server/src/store/postgres/connection.js';
import { need } from './requirements.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * PostgreSQL for tests: the server on 127.0.0.1:5432 (trust auth, database `test`) that this
 * project's machines and CI run. Every test run works in schemas of its own, dropped afterwards.
 */
export const postgresBaseUrl = clientUrl(
  process.env.UMHOOKS_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test',
);

async function canConnect(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: postgresBaseUrl,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether the PostgreSQL tests run here (under UMHOOKS_REQUIRE_ALL=1, a missing server fails). */
export const hasPostgres = need(
  'PostgreSQL at 127.0.0.1:5432 (database "test")',
  await canConnect(),
  'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (trust auth for 127.0.0.1, a database named test), or point UMHOOKS_TEST_POSTGRES at another server',
);

/** A schema name no other test (or run) uses. */
export function uniqueSchema(prefix = 'umhooks_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The store URL for `schema` (the driver creates it on first open). */
export function storeUrl(schema: string): string {
  const url = new URL(postgresBaseUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Runs one statement against the test database (setup and inspection). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: postgresBaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Drops test schemas with everything in them. */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  await sql(names.map((name) => `DROP SCHEMA IF EXISTS ${name} CASCADE`).join('; '));
}

/** A proxy in front of the test PostgreSQL, and the store URL for `schema` that goes through it. */
export async function startPostgresProxy(
  schema: string,
): Promise<{ proxy: TcpProxy; storeUrl: string }> {
  const base = new URL(postgresBaseUrl);
  const proxy = await startTcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
  const url = new URL(storeUrl(schema));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { proxy, storeUrl: url.toString() };
}
