import { formatWebhookRecord, type WebhookRecord } from '@umhooks/core';
import type { SandboxWebhook } from '../store/types.js';

/** `Y-m-d H:i:s` in UTC, as the plugin stores dates (`wu_get_current_time('mysql', true)`). */
function mysqlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `Y-m-d H:i:s` (UTC) → epoch ms; undefined for anything else, and for `0000-00-00 00:00:00`. */
export function parseMysqlDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
  );
  return Number.isNaN(ms) || Number(match[1]) === 0 ? undefined : ms;
}

/**
 * The plugin's JSON for a stored webhook: `created` is what POST /webhook answers (typed values),
 * `loaded` what GET, list and update answer (database strings), per core's record facts.
 */
export function toPluginRecord(webhook: SandboxWebhook, form: 'created' | 'loaded'): WebhookRecord {
  return formatWebhookRecord(
    {
      id: webhook.id,
      name: webhook.name,
      webhook_url: webhook.webhookUrl,
      event: webhook.event,
      event_count: webhook.eventCount,
      active: webhook.active,
      hidden: webhook.hidden,
      integration: webhook.integration,
      date_created: mysqlDate(webhook.dateCreated),
      date_modified: mysqlDate(webhook.dateModified),
      ...(webhook.dateLastFailed !== undefined
        ? { date_last_failed: mysqlDate(webhook.dateLastFailed) }
        : {}),
      migrated_from_id: webhook.migratedFromId,
    },
    form,
  );
}
