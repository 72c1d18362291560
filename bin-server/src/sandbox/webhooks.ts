import { generateSecret, type Profile } from '@umhooks/core';
import type { Context } from '../context.js';
import type { NewWebhook, SandboxWebhook, WebhookPatch } from '../store/types.js';

/**
 * A webhook's fields as both APIs receive them: the plugin's snake_case keys (REST) and ours
 * (/api/sandbox, which adds `profile`). Callers validate first, each with its own error format.
 */
export interface WebhookFields {
  name: string;
  webhook_url: string;
  event: string;
  integration: string;
  active: boolean;
  hidden: boolean;
  event_count: number;
  migrated_from_id: number;
  profile: Profile;
}

/** What a create needs; the other fields default like a REST create (hidden false, count 0). */
export type NewWebhookFields = Pick<
  WebhookFields,
  'name' | 'webhook_url' | 'event' | 'integration' | 'active'
> &
  Partial<WebhookFields>;

type RequiredOnCreate = Pick<
  NewWebhook,
  'name' | 'webhookUrl' | 'event' | 'integration' | 'active'
>;

/** The store's names for the fields given (absent and undefined fields are left out). */
export function toWebhookPatch(fields: NewWebhookFields): WebhookPatch & RequiredOnCreate;
export function toWebhookPatch(fields: Partial<WebhookFields>): WebhookPatch;
export function toWebhookPatch(fields: Partial<WebhookFields>): WebhookPatch {
  const patch: WebhookPatch = {};
  if (fields.name !== undefined) patch.name = fields.name;
  if (fields.webhook_url !== undefined) patch.webhookUrl = fields.webhook_url;
  if (fields.event !== undefined) patch.event = fields.event;
  if (fields.integration !== undefined) patch.integration = fields.integration;
  if (fields.active !== undefined) patch.active = fields.active;
  if (fields.hidden !== undefined) patch.hidden = fields.hidden;
  if (fields.event_count !== undefined) patch.eventCount = fields.event_count;
  if (fields.migrated_from_id !== undefined) patch.migratedFromId = fields.migrated_from_id;
  if (fields.profile !== undefined) patch.profile = fields.profile;
  return patch;
}

/**
 * Webhook changes shared by the REST API and /api/sandbox: each writes the store and tells live
 * viewers (and the dispatcher's cache).
 */
export async function createWebhook(
  context: Context,
  fields: NewWebhookFields,
): Promise<SandboxWebhook> {
  const now = context.now();
  const webhook = await context.store.webhooks.create({
    eventCount: 0,
    hidden: false,
    migratedFromId: 0,
    profile: 'plugin',
    ...toWebhookPatch(fields),
    dateCreated: now,
    dateModified: now,
    dateLastFailed: undefined,
    secret: generateSecret(),
  });
  context.bus.publish({ type: 'webhook.changed', webhook });
  return webhook;
}

export async function updateWebhook(
  context: Context,
  id: number,
  patch: WebhookPatch,
): Promise<SandboxWebhook | undefined> {
  const webhook = await context.store.webhooks.update(id, {
    ...patch,
    dateModified: patch.dateModified ?? context.now(),
  });
  if (webhook) context.bus.publish({ type: 'webhook.changed', webhook });
  return webhook;
}

export async function deleteWebhook(context: Context, id: number): Promise<boolean> {
  const deleted = await context.store.webhooks.delete(id);
  if (deleted) context.bus.publish({ type: 'webhook.deleted', id });
  return deleted;
}
