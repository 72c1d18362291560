import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../bin-server/src/config.js';
import { openStore } from '../../../bin-server/src/store/open.js';
import { parsePostgresUrl } from '../../../bin-server/src/store/postgres/connection.js';
import { migrations } from '../../../bin-server/src/store/postgres/migrations.js';
import { openPostgresStore } from '../../../bin-server/src/store/postgres/store.js';
import {
  dropSchemas,
  hasPostgres,
  postgresBaseUrl,
  sql,
  storeUrl,
  uniqueSchema,
} from '../../support/postgres.js';
import { defineStoreContract } from './contract.js';
import { requestWithId } from './requests.js';

const schemas = new Set<string>();
afterAll(() => dropSchemas(schemas));
function freshSchema(): string {
  const schema = uniqueSchema('umhooks_store');
  schemas.add(schema);
  return schema;
}

describe.runIf(hasPostgres)('PostgreSQL store', () => {
  // The same suite as SQLite, each test in an empty schema of its own.
  defineStoreContract('PostgreSQL', () => openPostgresStore(storeUrl(freshSchema())));

  describe('PostgreSQL specifics', () => {
    it('is what openStore picks for a postgres:// --store, in the schema the URL names', async () => {
      const schema = freshSchema();
      const store = await openStore(resolveConfig({ store: storeUrl(schema) }));
      try {
        expect(store.kind).toBe('postgres');
        await store.bins.create({ id: 'where', name: 'w', now: 1 });
        const rows = await sql(`SELECT id FROM ${schema}.bins`);
        expect(rows).toEqual([{ id: 'where' }]);
        const versions = await sql<{ version: number }>(
          `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
        );
        expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
      } finally {
        await store.close();
      }
    });

    it('an insert resolves only once its row is committed (another connection sees it)', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore(storeUrl(schema));
      const other = new pg.Client({ connectionString: postgresBaseUrl });
      await other.connect();
      try {
        await store.bins.create({ id: 'durable', name: 'd', now: 1 });
        const count = async () =>
          (await other.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.requests`))
            .rows[0]!.n;
        // Another session holds the bin's row: the insert cannot commit until it lets go.
        await other.query('BEGIN');
        await other.query(`SELECT 1 FROM ${schema}.bins WHERE id = 'durable' FOR UPDATE`);
        let resolved = false;
        const pending = store.requests.insert(requestWithId('durable', 'req_a'), 10).then((r) => {
          resolved = true;
          return r;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(resolved).toBe(false);
        expect(await count()).toBe('0');
        await other.query('COMMIT');
        expect((await pending).seq).toBe(1);
        expect(await count()).toBe('1');
      } finally {
        await other.end();
        await store.close();
      }
    });

    it('close writes inserts still waiting for their batch, and the data survives a reopen', async () => {
      const url = storeUrl(freshSchema());
      const store = await openPostgresStore(url);
      await store.bins.create({ id: 'reopen', name: 'r', now: 1 });
      const pending = [1, 2, 3].map((i) =>
        store.requests.insert(requestWithId('reopen', `req_${i}`), 10),
      );
      await store.close();
      await Promise.all(pending);
      const again = await openPostgresStore(url);
      try {
        const page = await again.requests.list('reopen', { limit: 10, includeBody: true });
        expect(page.items.map((r) => Buffer.from(r.body!).toString())).toEqual([
          'req_3',
          'req_2',
          'req_1',
        ]);
        expect((await again.bins.get('reopen'))?.requestCount).toBe(3);
      } finally {
        await again.close();
      }
    });

    it('two stores on one schema (two instances) number one bin 1..n between them, and keep the ring buffer', async () => {
      const url = storeUrl(freshSchema());
      const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
      try {
        await a.bins.create({ id: 'shared', name: 's', now: 1 });
        let n = 0;
        const results = await Promise.all(
          Array.from({ length: 400 }, (_, i) =>
            (i % 2 === 0 ? a : b).requests.insert(requestWithId('shared', `req_${++n}`), 100),
          ),
        );
        expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 400 }, (_, i) => i + 1),
        );
        expect(await b.bins.get('shared')).toMatchObject({ requestCount: 400, evictedCount: 300 });
        const page = await a.requests.list('shared', { limit: 500, includeBody: false });
        expect(page.items.map((r) => r.seq)).toEqual(
          Array.from({ length: 100 }, (_, i) => 400 - i),
        );
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('a bin deleted on one instance while another captures into it ends with no orphans', async () => {
      const url = storeUrl(freshSchema());
      const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
      try {
        await a.bins.create({ id: 'racing', name: 'r', now: 1 });
        let n = 0;
        const inserts = Array.from({ length: 200 }, () =>
          b.requests.insert(requestWithId('racing', `race_${++n}`), 1000),
        );
        const deleted = a.bins.delete('racing');
        const settled = await Promise.allSettled(inserts);
        expect(await deleted).toBe(true);
        for (const result of settled) {
          if (result.status === 'rejected')
            expect(result.reason).toMatchObject({ code: 'bin_not_found' });
        }
        await a.bins.create({ id: 'racing', name: 'again', now: 2 });
        expect((await a.requests.list('racing', { limit: 10, includeBody: false })).items).toEqual(
          [],
        );
        expect((await b.requests.insert(requestWithId('racing', 'after'), 10)).seq).toBe(1);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('prunes finished deliveries with their attempts, and payloads no delivery uses any more', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore(storeUrl(schema));
      try {
        const base = {
          webhookId: 1,
          event: 'e',
          profile: 'standard' as const,
          url: 'https://a.example/',
        };
        await store.deliveries.enqueue([
          { ...base, id: 'msg_old_1', payload: '{"fire":1}', createdAt: 100 },
          { ...base, id: 'msg_old_2', payload: '{"fire":1}', createdAt: 100 },
        ]);
        await store.deliveries.enqueue([
          { ...base, id: 'msg_new', payload: '{"fire":2}', createdAt: 5000 },
        ]);
        await store.deliveries.claim('w', { now: 10_000, leaseMs: 1000, limit: 10 });
        for (const id of ['msg_old_1', 'msg_new']) {
          await store.deliveries.recordAttempt(
            'w',
            {
              deliveryId: id,
              number: 1,
              startedAt: '2024-01-01T00:00:00.000Z',
              durationMs: 1,
              request: { method: 'POST', url: base.url, headers: [], body: '{}' },
              status: 200,
              outcome: 'success',
              nextAttemptAt: undefined,
            },
            { status: 'succeeded', nextAttemptAt: undefined },
          );
        }
        // Only the finished delivery older than the cut goes; its payload stays while msg_old_2
        // (still delivering) uses it.
        expect(await store.deliveries.prune(1000, 10)).toBe(1);
        expect(await store.deliveries.get('msg_old_1')).toBeUndefined();
        expect(await store.deliveries.get('msg_old_2')).toBeDefined();
        expect(await sql(`SELECT 1 FROM ${schema}.delivery_attempts`)).toHaveLength(1);
        expect(await sql(`SELECT payload FROM ${schema}.payloads ORDER BY id`)).toEqual([
          { payload: '{"fire":1}' },
          { payload: '{"fire":2}' },
        ]);
        expect(await store.deliveries.prune(10_000, 10)).toBe(1);
        expect(await sql(`SELECT payload FROM ${schema}.payloads ORDER BY id`)).toEqual([
          { payload: '{"fire":1}' },
        ]);
      } finally {
        await store.close();
      }
    });

    it('moves a schema of migration 11 to the per-bin trigram index (migration 12)', async () => {
      const schema = freshSchema();
      const first = await openPostgresStore(storeUrl(schema));
      try {
        await first.bins.create({ id: 'kept', name: 'k', now: 1 });
        for (const id of ['req_osprey_1', 'req_heron_2', 'req_osprey_3']) {
          await first.requests.insert(requestWithId('kept', id), 10);
        }
      } finally {
        await first.close();
      }
      // Back to what migration 11 and its start left: the whole-table index and step 10's search.
      await sql(`SET search_path = ${schema};
        DELETE FROM schema_migrations WHERE version = 12;
        DROP INDEX requests_bin_search;
        CREATE INDEX requests_search ON requests USING gin (search public.gin_trgm_ops);
        ${migrations.find((m) => m.version === 10)!.sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION')}`);
      const store = await openPostgresStore(storeUrl(schema), {
        searchProbe: { rows: 1, bytes: Infinity },
      });
      try {
        const indexes = await sql<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%gin_trgm_ops%'`,
          [schema],
        );
        expect(indexes.map((r) => r.indexname)).toEqual(['requests_bin_search']);
        const search = await sql<{ prosrc: string }>(
          `SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = $1 AND p.proname = 'search_requests'`,
          [schema],
        );
        expect(search[0]!.prosrc).toContain('ARRAY[bin_id] @> ARRAY[p_bin]');
        const page = await store.requests.list('kept', {
          limit: 10,
          includeBody: false,
          q: 'OSPREY',
        });
        expect(page.items.map((r) => r.id)).toEqual(['req_osprey_3', 'req_osprey_1']);
      } finally {
        await store.close();
      }
    });

    it('refuses a schema written by a newer umhooks', async () => {
      const schema = freshSchema();
      await (await openPostgresStore(storeUrl(schema))).close();
      await sql(
        `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`,
      );
      await expect(openPostgresStore(storeUrl(schema))).rejects.toThrow(
        /was written by a newer umhooks \(schema 999; this one knows up to \d+\)/,
      );
    });

    it('says which server it cannot reach, without the password', async () => {
      const error: unknown = await openPostgresStore(
        'postgres://someone:s3cret-pw@127.0.0.1:1/nowhere?schema=x',
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        /Cannot use the PostgreSQL store at 127\.0\.0\.1:1\/nowhere/,
      );
      expect((error as Error).message).not.toContain('s3cret-pw');
    });
  });
});

describe('PostgreSQL store URL', () => {
  it('takes schema and pool_size out and pins search_path, keeping the other parameters', () => {
    const settings = parsePostgresUrl(
      'postgresql://u:p@db.example:6543/hooks?schema=team_a&pool_size=4&sslmode=require',
    );
    expect(settings).toMatchObject({
      schema: 'team_a',
      poolSize: 4,
      channel: 'umhooks_team_a',
      label: 'db.example:6543/hooks (schema team_a)',
    });
    const url = new URL(settings.connectionString);
    expect(url.searchParams.get('options')).toBe('-c search_path=team_a');
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(url.searchParams.has('schema')).toBe(false);
    expect(parsePostgresUrl('postgres://h/db').schema).toBe('public');
  });

  it('refuses schema names that would need quoting, and silly pool sizes', () => {
    expect(() => parsePostgresUrl('postgres://h/db?schema=Team-A')).toThrow(/schema="Team-A"/);
    expect(() => parsePostgresUrl('postgres://h/db?schema=a;drop')).toThrow(/not usable/);
    expect(() => parsePostgresUrl('postgres://h/db?pool_size=0')).toThrow(/pool_size=0/);
  });

  it('is picked by openStore only for postgres:// URLs', async () => {
    await expect(openStore(resolveConfig({ store: 'mysql://x' }))).rejects.toThrow(
      /not a store URL/,
    );
  });
});
