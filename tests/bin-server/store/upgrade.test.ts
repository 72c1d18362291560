import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { verify } from '@umhooks/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../bin-server/src/config.js';
import { latestVersion } from '../../../bin-server/src/store/migrations.js';
import { migrations as postgresMigrations } from '../../../bin-server/src/store/postgres/migrations.js';
import { clientUrl } from '../../../bin-server/src/store/postgres/connection.js';
import { openPostgresStore } from '../../../bin-server/src/store/postgres/store.js';
import { migrations as sqliteMigrations } from '../../../bin-server/src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../../bin-server/src/store/sqlite/store.js';
import type { Store } from '../../../bin-server/src/store/types.js';
import type { DeliveryJson, WebhookJson } from '../../../bin-server/src/wire/sandbox.js';
import { hasPostgres, postgresBaseUrl, sql } from '../../support/postgres.js';
import { startReceiver } from '../../support/receiver.js';
import { commandWorks, need } from '../../support/requirements.js';
import { eventually, startSandbox } from '../../support/sandbox.js';
import { tempDir } from '../../support/server.js';
import {
  POSTGRES_DUMP,
  POSTGRES_SCHEMA,
  SQLITE_FILE,
  asJson,
  fixtureFolders,
  readRecord,
  toRecord,
  type FixtureRecord,
} from './fixtures/fixture-format.js';

// Data written by released schemas (fixtures/schema-<n>, made by fixtures/make-fixture.ts) opened
// by the current code: migrated to the latest version, everything read back as it was recorded
// when written, and the server captures, fires and delivers on it. Each fixture is copied first:
// the committed files are never opened for writing.

const folders = fixtureFolders();
const work = tempDir('umhooks-upgrade-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * `actual` reduced to the keys the record knows (the union over its items, nested lists too):
 * a later schema may add fields, but every recorded field must read back exactly — including the
 * ones the record leaves out because they were empty.
 */
function projected<T>(actual: readonly T[], expected: readonly T[]): unknown[] {
  const keys = new Set(expected.flatMap((e) => Object.keys(e as object)));
  return asJson(actual).map((item) => {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      let value = (item as Record<string, unknown>)[key];
      const nested = expected.flatMap((e) => {
        const v = (e as Record<string, unknown>)[key];
        return Array.isArray(v) && v.every((x) => typeof x === 'object' && !Array.isArray(x))
          ? (v as object[])
          : [];
      });
      if (Array.isArray(value) && nested.length > 0) value = projected(value as object[], nested);
      if (value !== undefined) out[key] = value;
    }
    return out;
  });
}

/** Every bin, request (exact bytes, raw headers), webhook, delivery and setting, as recorded. */
async function expectRecordedData(store: Store, record: FixtureRecord): Promise<void> {
  const byId = <T extends { id: string | number }>(list: T[]) =>
    [...list].sort((a, b) => String(a.id).localeCompare(String(b.id)));

  expect(projected(byId(await store.bins.list()), byId(record.bins))).toEqual(byId(record.bins));

  for (const bin of record.bins) {
    const expected = record.requests
      .filter((r) => r.binId === bin.id)
      .sort((a, b) => b.seq - a.seq);
    const page = await store.requests.list(bin.id, { limit: 100, includeBody: true });
    expect(page.items.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    for (const request of expected) {
      const stored = await store.requests.get(bin.id, request.id);
      expect(stored, request.id).toBeDefined();
      expect(Buffer.from(stored!.body).toString('base64')).toBe(request.bodyBase64);
      expect(stored!.rawHeaders).toEqual(request.rawHeaders);
      expect(projected([toRecord(stored!)], [request])).toEqual([request]);
      // Indexed by the migration (schema 9): found by the text of its request line.
      const line = `${request.method} ${request.path}?${request.query}`.toUpperCase();
      const found = await store.requests.list(bin.id, { limit: 100, includeBody: false, q: line });
      expect(found.items.map((r) => r.id)).toContain(request.id);
    }
  }

  const webhooks = await store.webhooks.list({
    orderby: 'id',
    order: 'asc',
    limit: 100,
    offset: 0,
  });
  expect(webhooks.total).toBe(record.webhooks.length);
  expect(projected(webhooks.items, record.webhooks)).toEqual(record.webhooks);

  const listed = await store.deliveries.list({ limit: 100 });
  expect(listed.items.map((d) => d.id).sort()).toEqual(record.deliveries.map((d) => d.id).sort());
  for (const delivery of record.deliveries) {
    const stored = await store.deliveries.get(delivery.id);
    expect(stored, delivery.id).toBeDefined();
    expect(projected([stored!], [delivery])).toEqual([delivery]);
  }

  for (const [key, value] of Object.entries(record.settings)) {
    expect(await store.settings.get(key), key).toBe(value);
  }
}

/**
 * A server on the upgraded data: the fixture's credentials still open the plugin API, old ids are
 * still served, a bin's stored response still answers, the ring buffer goes on evicting, and a
 * webhook stored by the old schema is fired and delivered, signed with its stored secret.
 */
async function expectServes(options: ConfigInput, record: FixtureRecord): Promise<void> {
  // Bins unused for longer than the TTL would be swept at start: the fixture's clock is old. The
  // ring buffer's cap is a server setting: the one the fixture's small ring was written with.
  const sandbox = await startSandbox({ ...options, ttl: '36500d', maxRequests: 2 });
  const receiver = await startReceiver();
  try {
    expect(sandbox.key).toBe(record.settings['sandbox.api_key']);
    expect((await sandbox.rest('GET', '/webhook')).status).toBe(200);

    const oldRequest = record.requests.find((r) => r.binId === 'shop-live')!;
    expect((await sandbox.api('GET', `/bins/shop-live/requests/${oldRequest.id}`)).status).toBe(
      200,
    );
    const oldDelivery = record.deliveries[0]!;
    const again = await sandbox.api<DeliveryJson>('GET', `/sandbox/deliveries/${oldDelivery.id}`);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(oldDelivery.id);

    // Capture: the stored custom response answers, with its repeated headers.
    const shop = record.bins.find((b) => b.id === 'shop-live')!;
    const captured = await fetch(`${sandbox.url}/b/shop-live/after-upgrade`, {
      method: 'POST',
      body: Buffer.from([0x00, 0xff, 0x80, 0x7f]),
    });
    expect(captured.status).toBe(shop.response!.status);
    expect(await captured.text()).toBe(shop.response!.body);
    expect(captured.headers.get('x-reply')).toBe('one, two');
    const newId = captured.headers.get('x-request-id')!;
    const stored = await sandbox.server.context.store.requests.get('shop-live', newId);
    expect(Buffer.from(stored!.body)).toEqual(Buffer.from([0x00, 0xff, 0x80, 0x7f]));
    expect(stored!.seq).toBe(shop.requestCount + 1);

    // The ring of two keeps evicting from where it was.
    const ring = record.bins.find((b) => b.id === 'ring-small')!;
    expect(
      (await fetch(`${sandbox.url}/b/ring-small`, { method: 'POST', body: 'n=6' })).status,
    ).toBe(200);
    const ringNow = await sandbox.server.context.store.bins.get('ring-small');
    expect(ringNow).toMatchObject({
      requestCount: ring.requestCount + 1,
      evictedCount: ring.evictedCount + 1,
    });

    // Fire to the standard-profile webhook the old schema stored: signed with its stored secret.
    const hook = record.webhooks.find((w) => w.profile === 'standard' && w.active)!;
    const patched = await sandbox.api<WebhookJson>('PATCH', `/sandbox/webhooks/${hook.id}`, {
      webhook_url: `${receiver.url}/after-upgrade`,
    });
    expect(patched.status).toBe(200);
    const fired = await sandbox.api<{ deliveries: string[] }>('POST', '/sandbox/fire', {
      event: hook.event,
    });
    expect(fired.status).toBe(202);
    const [deliveryId] = fired.json.deliveries;
    const delivered = await eventually(
      async () => {
        const d = (await sandbox.api<DeliveryJson>('GET', `/sandbox/deliveries/${deliveryId}`))
          .json;
        return d.status === 'succeeded' ? d : undefined;
      },
      20_000,
      `delivery ${deliveryId}`,
    );
    expect(delivered.webhook_id).toBe(hook.id);
    const arrived = receiver.received.find((r) => r.url === '/after-upgrade')!;
    const headers = Object.fromEntries(arrived.headers.map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['webhook-id']).toBe(deliveryId);
    expect(() => verify({ secret: hook.secret, headers, body: arrived.body })).not.toThrow();
    // New ids sort after the fixture's: the time-ordered indexes grow at their end.
    expect(
      deliveryId! >
        record.deliveries
          .map((d) => d.id)
          .sort()
          .at(-1)!,
    ).toBe(true);
    expect(
      newId >
        record.requests
          .map((r) => r.id)
          .sort()
          .at(-1)!,
    ).toBe(true);
  } finally {
    await sandbox.close();
    await receiver.close();
  }
}

describe('data written by earlier releases', () => {
  it('has a fixture for the current schema (run fixtures/make-fixture.ts when adding one)', () => {
    // The newest fixture may lag behind a migration added since; never ahead of the code.
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.at(-1)!.version).toBeLessThanOrEqual(latestVersion(sqliteMigrations));
    for (const { version, dir } of folders) expect(readRecord(dir).schemaVersion).toBe(version);
  });

  describe.each(folders)('schema $version', ({ version, dir }) => {
    const record = readRecord(dir);

    it('SQLite: a copy of the file is migrated to the latest schema and reads back as written', async () => {
      const committed = path.join(dir, SQLITE_FILE);
      const before = sha256(committed);
      const file = path.join(work, `schema-${version}-${randomBytes(4).toString('hex')}.db`);
      fs.copyFileSync(committed, file);
      const raw = new Database(file, { readonly: true });
      const versionsBefore = raw.prepare('SELECT version FROM schema_migrations').pluck().all();
      raw.close();
      expect(Math.max(...(versionsBefore as number[]))).toBe(version);

      const store = openSqliteStore(file);
      try {
        await expectRecordedData(store, record);
      } finally {
        await store.close();
      }
      const db = new Database(file, { readonly: true });
      const versions = db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all();
      // Every request has its entry in the text search index or waits on its pending list, once,
      // and nothing else is in either.
      const entries = db
        .prepare(
          `SELECT rowid FROM requests_search
           UNION ALL SELECT request_rowid FROM requests_search_pending ORDER BY 1`,
        )
        .pluck()
        .all();
      expect(entries).toEqual(
        db.prepare('SELECT rowid FROM requests ORDER BY rowid').pluck().all(),
      );
      db.close();
      expect(versions).toEqual(sqliteMigrations.map((m) => m.version));

      await expectServes({ data: file, memory: false }, record);
      expect(sha256(committed)).toBe(before);
    });

    const canRestore =
      hasPostgres &&
      need('psql (to restore the fixture dump)', commandWorks('psql'), 'install postgresql-client');

    it.runIf(canRestore)(
      'PostgreSQL: the dump, restored, is migrated to the latest schema and reads back as written',
      async () => {
        const database = `umhooks_upgrade_${process.pid}_${randomBytes(4).toString('hex')}`;
        const url = new URL(postgresBaseUrl);
        url.pathname = `/${database}`;
        const databaseUrl = url.toString();
        await sql(`CREATE DATABASE ${database}`);
        try {
          execFileSync(
            'psql',
            [
              '-X',
              '-q',
              '-v',
              'ON_ERROR_STOP=1',
              '-f',
              path.join(dir, POSTGRES_DUMP),
              url.toString(),
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
          url.searchParams.set('schema', POSTGRES_SCHEMA);
          const store = await openPostgresStore(url.toString());
          try {
            await expectRecordedData(store, record);
          } finally {
            await store.close();
          }
          const client = new pg.Client({ connectionString: clientUrl(databaseUrl) });
          await client.connect();
          try {
            const { rows } = await client.query<{ version: number }>(
              `SELECT version FROM ${POSTGRES_SCHEMA}.schema_migrations ORDER BY version`,
            );
            expect(rows.map((r) => Number(r.version))).toEqual(
              postgresMigrations.map((m) => m.version),
            );
            // Every request has its search text, and the per-bin trigram index is the only one.
            const unindexed = await client.query(
              `SELECT id FROM ${POSTGRES_SCHEMA}.requests WHERE search IS NULL`,
            );
            expect(unindexed.rows).toEqual([]);
            const index = await client.query<{ indexname: string; indexdef: string }>(
              `SELECT indexname, indexdef FROM pg_indexes
               WHERE schemaname = $1 AND indexdef LIKE '%gin_trgm_ops%'`,
              [POSTGRES_SCHEMA],
            );
            expect(index.rows.map((r) => r.indexname)).toEqual(['requests_bin_search']);
            expect(index.rows[0]!.indexdef).toContain('(ARRAY[bin_id])');
          } finally {
            await client.end();
          }

          await expectServes({ store: url.toString() }, record);
        } finally {
          await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        }
      },
    );
  });
});
