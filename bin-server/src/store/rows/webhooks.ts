import type { Profile } from '@umhooks/core';
import type { FireTarget, SandboxWebhook, WebhookPatch } from '../types.js';

// Webhooks' rows as every driver reads them: the plugin's record, plus our profile and secret.

export interface WebhookRow {
  id: number;
  name: string;
  webhook_url: string;
  event: string;
  event_count: number;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  active: number | boolean;
  hidden: number | boolean;
  integration: string;
  date_created: number;
  date_modified: number;
  date_last_failed: number | null;
  migrated_from_id: number;
  profile: string;
  secret: string;
}

export function toWebhook(row: WebhookRow): SandboxWebhook {
  return {
    id: row.id,
    name: row.name,
    webhookUrl: row.webhook_url,
    event: row.event,
    eventCount: row.event_count,
    active: row.active === 1 || row.active === true,
    hidden: row.hidden === 1 || row.hidden === true,
    integration: row.integration,
    dateCreated: row.date_created,
    dateModified: row.date_modified,
    dateLastFailed: row.date_last_failed ?? undefined,
    migratedFromId: row.migrated_from_id,
    profile: row.profile as Profile,
    secret: row.secret,
  };
}

/** The columns `forEvent` reads, as every driver names them. */
export interface FireTargetRow {
  id: number;
  profile: string;
  webhook_url: string;
}

export function toFireTarget(row: FireTargetRow): FireTarget {
  return { id: row.id, profile: row.profile as Profile, webhookUrl: row.webhook_url };
}

/** Patch field → column; only these are written by `update`. */
export const patchColumns: Record<keyof WebhookPatch, string> = {
  name: 'name',
  webhookUrl: 'webhook_url',
  event: 'event',
  eventCount: 'event_count',
  active: 'active',
  hidden: 'hidden',
  integration: 'integration',
  dateCreated: 'date_created',
  dateModified: 'date_modified',
  dateLastFailed: 'date_last_failed',
  migratedFromId: 'migrated_from_id',
  profile: 'profile',
  secret: 'secret',
};
