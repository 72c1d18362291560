import type { Database } from 'better-sqlite3';
import type { FireTarget, NewWebhook, WebhookQuery, WebhookStore } from '../types.js';
import { toFireTarget, toWebhook, type FireTargetRow, type WebhookRow } from '../rows/webhooks.js';
import {
  patchAssignments,
  webhookConditions,
  webhookOrder,
  type WebhookFilterSql,
} from '../queries/webhooks.js';
import { anonymous, Where } from '../queries/where.js';
import type { WriteQueue } from './write-queue.js';

function toColumnValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number;
}

const filterSql: WebhookFilterSql = {
  active: (value) => (value ? 1 : 0),
  // Anonymous placeholders: the pattern is bound once per use.
  search: (pattern, where) =>
    `(name LIKE ${where.param(pattern)} ESCAPE '\\' OR webhook_url LIKE ${where.param(pattern)} ESCAPE '\\' OR event LIKE ${where.param(pattern)} ESCAPE '\\')`,
};

export function createSqliteWebhookStore(db: Database, writes: WriteQueue): WebhookStore {
  const insert = db.prepare(`
    INSERT INTO webhooks (name, webhook_url, event, event_count, active, hidden, integration,
      date_created, date_modified, date_last_failed, migrated_from_id, profile, secret)
    VALUES (@name, @webhook_url, @event, @event_count, @active, @hidden, @integration,
      @date_created, @date_modified, @date_last_failed, @migrated_from_id, @profile, @secret)
    RETURNING *`);
  const selectOne = db.prepare<[number], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const remove = db.prepare('DELETE FROM webhooks WHERE id = ?');
  const byEvent = db.prepare<[string], FireTargetRow>(
    'SELECT id, profile, webhook_url FROM webhooks WHERE event = ? AND active = 1 ORDER BY id',
  );
  // Every fire reads its event's webhooks (100 rows a fire in the benchmark: ~10 µs a delivery).
  // This process is the data file's only writer (owner-lock.ts) and every change of a webhook's
  // event, URL, profile or active flag goes through create/update/delete below, which drop the
  // lists at once; counting (incrementCount) changes none of them.
  const targetsByEvent = new Map<string, readonly FireTarget[]>();
  const increment = db.prepare(
    'UPDATE webhooks SET event_count = event_count + ?, date_modified = ? WHERE id = ?',
  );

  return {
    async create(webhook: NewWebhook) {
      const row = insert.get({
        name: webhook.name,
        webhook_url: webhook.webhookUrl,
        event: webhook.event,
        event_count: webhook.eventCount,
        active: webhook.active ? 1 : 0,
        hidden: webhook.hidden ? 1 : 0,
        integration: webhook.integration,
        date_created: webhook.dateCreated,
        date_modified: webhook.dateModified,
        date_last_failed: webhook.dateLastFailed ?? null,
        migrated_from_id: webhook.migratedFromId,
        profile: webhook.profile,
        secret: webhook.secret,
      }) as WebhookRow;
      targetsByEvent.clear();
      return toWebhook(row);
    },

    async get(id) {
      const row = selectOne.get(id);
      return row ? toWebhook(row) : undefined;
    },

    async list(query: WebhookQuery) {
      const where = new Where(anonymous);
      webhookConditions(query, where, filterSql);
      const { params } = where;
      const total = db
        .prepare(`SELECT count(*) FROM webhooks ${where.clause}`)
        .pluck()
        .get(...params);
      const rows = db
        .prepare(
          `SELECT * FROM webhooks ${where.clause} ORDER BY ${webhookOrder(query)} LIMIT ? OFFSET ?`,
        )
        .all(...params, query.limit, query.offset) as WebhookRow[];
      return { items: rows.map(toWebhook), total: Number(total) };
    },

    async update(id, patch) {
      const values: Array<string | number | null> = [];
      const sets = patchAssignments(patch, (value) => {
        values.push(toColumnValue(value));
        return '?';
      });
      if (sets.length === 0) return this.get(id);
      const row = db
        .prepare(`UPDATE webhooks SET ${sets.join(', ')} WHERE id = ? RETURNING *`)
        .get(...values, id) as WebhookRow | undefined;
      targetsByEvent.clear();
      return row ? toWebhook(row) : undefined;
    },

    async delete(id) {
      const removed = remove.run(id).changes > 0;
      targetsByEvent.clear();
      return removed;
    },

    async forEvent(event) {
      let targets = targetsByEvent.get(event);
      if (targets === undefined) {
        targets = Object.freeze(byEvent.all(event).map(toFireTarget));
        // Fired events are few (the catalog's); an add-on firing many names must not grow this.
        if (targetsByEvent.size >= 1000) targetsByEvent.clear();
        targetsByEvent.set(event, targets);
      }
      return targets;
    },

    async incrementCount(id, now, by = 1) {
      // Frequent (the dispatcher's bookkeeping): shares the sandbox's group commit.
      await writes.run(() => increment.run(by, now, id));
    },
  };
}
