import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../bin-server/src/store/postgres/migrations.js';
import { openPostgresStore } from '../../../bin-server/src/store/postgres/store.js';
import { dropSchemas, hasPostgres, sql, storeUrl, uniqueSchema } from '../../support/postgres.js';
import { spawnServer, type SpawnedServer } from '../../support/server.js';
import { call } from './helpers.js';

// Instances of one deployment start together (a rolling start, an autoscaler): on an empty
// schema they must all come up, with the schema created and migrated exactly once, and agree on
// everything generated at first start.

describe.runIf(hasPostgres)('starting several instances at once on an empty schema', () => {
  const schemas: string[] = [];
  const spawned: SpawnedServer[] = [];
  afterAll(async () => {
    await Promise.all(spawned.map((s) => s.kill()));
    await dropSchemas(schemas);
  });

  it('two `umhooks serve --store postgres://…` both come up, sharing one migrated schema and one sandbox key pair', async () => {
    const schema = uniqueSchema('umhooks_start');
    schemas.push(schema);
    const url = storeUrl(schema);
    const servers = await Promise.all([
      spawnServer(['--store', url, '--quiet']),
      spawnServer(['--store', url, '--quiet']),
    ]);
    spawned.push(...servers);

    const applied = await sql<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(applied.map((r) => r.version)).toEqual(migrations.map((m) => m.version));

    const infos = await Promise.all(servers.map((s) => call(s.url, 'GET', '/api/info')));
    type Info = { store: string; sandbox: { api_key: string; api_secret: string } };
    const [one, two] = infos.map((i) => i.json as Info) as [Info, Info];
    expect(one.store).toBe('postgres');
    expect(two.sandbox.api_key).toBe(one.sandbox.api_key);
    const basic = `Basic ${Buffer.from(`${one.sandbox.api_key}:${one.sandbox.api_secret}`).toString('base64')}`;
    for (const server of servers) {
      const auth = await call(server.url, 'GET', '/wp-json/wu/v2/auth', undefined, {
        authorization: basic,
      });
      expect(auth.status).toBe(200);
    }
    // One example bin, not one per instance.
    const bins = await sql<{ id: string }>(`SELECT id FROM ${schema}.bins`);
    expect(bins).toHaveLength(1);
    for (const code of await Promise.all(servers.map((s) => s.stop()))) expect(code).toBe(0);
  }, 60_000);

  it('six stores opened at once on an empty schema all open, and a reopen applies nothing again', async () => {
    const schema = uniqueSchema('umhooks_six');
    schemas.push(schema);
    const url = storeUrl(schema);
    const stores = await Promise.all(Array.from({ length: 6 }, () => openPostgresStore(url)));
    try {
      await stores[0]!.bins.create({ id: 'first', name: 'f', now: 1 });
      for (const store of stores) expect((await store.bins.get('first'))?.name).toBe('f');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const before = await sql(`SELECT * FROM ${schema}.schema_migrations ORDER BY version`);
    await (await openPostgresStore(url)).close();
    expect(await sql(`SELECT * FROM ${schema}.schema_migrations ORDER BY version`)).toEqual(before);
    expect(before).toHaveLength(migrations.length);
  });
});
