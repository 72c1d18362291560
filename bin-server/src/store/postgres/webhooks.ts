import type pg from 'pg';
import type { NewWebhook, WebhookQuery, WebhookStore } from '../types.js';
import { toFireTarget, toWebhook, type FireTargetRow, type WebhookRow } from '../rows/webhooks.js';
import {
  patchAssignments,
  webhookConditions,
  webhookOrder,
  type WebhookFilterSql,
} from '../queries/webhooks.js';
import { numbered, Where } from '../queries/where.js';

/** Text columns sort byte-wise, like SQLite's BINARY collation, whatever the database's locale. */
const textColumns = new Set<WebhookQuery['orderby']>(['name', 'event']);
const orderColumn = (name: WebhookQuery['orderby']) =>
  textColumns.has(name) ? `${name} COLLATE "C"` : name;

const filterSql: WebhookFilterSql = {
  active: (value) => value,
  search: (pattern, where) => {
    const p = where.param(pattern);
    return `(name ILIKE ${p} ESCAPE '\\' OR webhook_url ILIKE ${p} ESCAPE '\\' OR event ILIKE ${p} ESCAPE '\\')`;
  },
};

export function createPostgresWebhookStore(pool: pg.Pool): WebhookStore {
  return {
    async create(webhook: NewWebhook) {
      const { rows } = await pool.query<WebhookRow>(
        `INSERT INTO webhooks (name, webhook_url, event, event_count, active, hidden, integration,
           date_created, date_modified, date_last_failed, migrated_from_id, profile, secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING *`,
        [
          webhook.name,
          webhook.webhookUrl,
          webhook.event,
          webhook.eventCount,
          webhook.active,
          webhook.hidden,
          webhook.integration,
          webhook.dateCreated,
          webhook.dateModified,
          webhook.dateLastFailed ?? null,
          webhook.migratedFromId,
          webhook.profile,
          webhook.secret,
        ],
      );
      return toWebhook(rows[0]!);
    },

    async get(id) {
      const { rows } = await pool.query<WebhookRow>('SELECT * FROM webhooks WHERE id = $1', [id]);
      return rows[0] ? toWebhook(rows[0]) : undefined;
    },

    async list(query: WebhookQuery) {
      const where = new Where(numbered);
      webhookConditions(query, where, filterSql);
      const filter = where.clause;
      const params = where.params;
      // One round trip: the page and the total (a window count over the filtered rows).
      const { rows } = await pool.query<WebhookRow & { total: number }>(
        `SELECT *, count(*) OVER () AS total FROM webhooks ${filter}
         ORDER BY ${webhookOrder(query, orderColumn)} LIMIT ${where.param(Math.max(0, query.limit))} OFFSET ${where.param(Math.max(0, query.offset))}`,
        params,
      );
      let total = rows[0]?.total;
      if (total === undefined) {
        // An offset past the end returns no row to carry the count.
        const counted = await pool.query<{ total: number }>(
          `SELECT count(*) AS total FROM webhooks ${filter}`,
          params.slice(0, -2),
        );
        total = counted.rows[0]!.total;
      }
      return { items: rows.map(toWebhook), total };
    },

    async update(id, patch) {
      const values: unknown[] = [id];
      const sets = patchAssignments(patch, (value) => `$${values.push(value ?? null)}`);
      if (sets.length === 0) return this.get(id);
      const { rows } = await pool.query<WebhookRow>(
        `UPDATE webhooks SET ${sets.join(', ')} WHERE id = $1 RETURNING *`,
        values,
      );
      return rows[0] ? toWebhook(rows[0]) : undefined;
    },

    async delete(id) {
      const result = await pool.query('DELETE FROM webhooks WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },

    async forEvent(event) {
      // Not cached: other instances change webhooks too.
      const { rows } = await pool.query<FireTargetRow>(
        'SELECT id, profile, webhook_url FROM webhooks WHERE event = $1 AND active ORDER BY id',
        [event],
      );
      return rows.map(toFireTarget);
    },

    async incrementCount(id, now, by = 1) {
      await pool.query(
        'UPDATE webhooks SET event_count = event_count + $2, date_modified = $3 WHERE id = $1',
        [id, by, now],
      );
    },
  };
}
