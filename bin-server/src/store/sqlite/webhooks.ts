import type { Database } from 'better-sqlite3';
import type { NewWebhook, WebhookPatch, WebhookQuery, WebhookStore } from '../types.js';
import { likePattern, patchColumns, toWebhook, type WebhookRow } from '../rows/webhooks.js';
import type { WriteQueue } from './write-queue.js';

function toColumnValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number;
}

export function createSqliteWebhookStore(db: Database, writes: WriteQueue): WebhookStore {
  const insert = db.prepare(`
    INSERT INTO webhooks (name, webhook_url, event, event_count, active, hidden, integration,
      date_created, date_modified, date_last_failed, migrated_from_id, profile, secret)
    VALUES (@name, @webhook_url, @event, @event_count, @active, @hidden, @integration,
      @date_created, @date_modified, @date_last_failed, @migrated_from_id, @profile, @secret)
    RETURNING *`);
  const selectOne = db.prepare<[number], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const remove = db.prepare('DELETE FROM webhooks WHERE id = ?');
  const byEvent = db.prepare<[string], WebhookRow>(
    'SELECT * FROM webhooks WHERE event = ? AND active = 1 ORDER BY id',
  );
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
      return toWebhook(row);
    },

    async get(id) {
      const row = selectOne.get(id);
      return row ? toWebhook(row) : undefined;
    },

    async list(query: WebhookQuery) {
      const where: string[] = [];
      const params: Array<string | number> = [];
      if (query.event !== undefined) {
        where.push('event = ?');
        params.push(query.event);
      }
      if (query.integration !== undefined) {
        where.push('integration = ?');
        params.push(query.integration);
      }
      if (query.active !== undefined) {
        where.push('active = ?');
        params.push(query.active ? 1 : 0);
      }
      if (query.search !== undefined && query.search !== '') {
        where.push(
          "(name LIKE ? ESCAPE '\\' OR webhook_url LIKE ? ESCAPE '\\' OR event LIKE ? ESCAPE '\\')",
        );
        const pattern = likePattern(query.search);
        params.push(pattern, pattern, pattern);
      }
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      // orderby is a closed union (validated by the caller); id breaks ties deterministically.
      const direction = query.order === 'asc' ? 'ASC' : 'DESC';
      const order =
        query.orderby === 'id'
          ? `id ${direction}`
          : `${query.orderby} ${direction}, id ${direction}`;
      const total = db
        .prepare(`SELECT count(*) FROM webhooks ${filter}`)
        .pluck()
        .get(...params);
      const rows = db
        .prepare(`SELECT * FROM webhooks ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, query.limit, query.offset) as WebhookRow[];
      return { items: rows.map(toWebhook), total: Number(total) };
    },

    async update(id, patch) {
      const sets: string[] = [];
      const values: Array<string | number | null> = [];
      for (const [key, column] of Object.entries(patchColumns) as Array<
        [keyof WebhookPatch, string]
      >) {
        if (!(key in patch)) continue;
        const value = patch[key];
        // undefined clears only the nullable column; elsewhere it means "unchanged".
        if (value === undefined && key !== 'dateLastFailed') continue;
        sets.push(`${column} = ?`);
        values.push(toColumnValue(value));
      }
      if (sets.length === 0) return this.get(id);
      const row = db
        .prepare(`UPDATE webhooks SET ${sets.join(', ')} WHERE id = ? RETURNING *`)
        .get(...values, id) as WebhookRow | undefined;
      return row ? toWebhook(row) : undefined;
    },

    async delete(id) {
      return remove.run(id).changes > 0;
    },

    async forEvent(event) {
      return byEvent.all(event).map(toWebhook);
    },

    async incrementCount(id, now, by = 1) {
      // Frequent (the dispatcher's bookkeeping): shares the sandbox's group commit.
      await writes.run(() => increment.run(by, now, id));
    },
  };
}
