import { generateSecret, type Profile } from '@umhooks/core';
import type { Context } from '../context.js';
import type { StoredWebhook, WebhookPatch } from '../store/types.js';

export interface NewWebhookInput {
  name: string;
  webhookUrl: string;
  event: string;
  integration: string;
  active: boolean;
  hidden?: boolean;
  eventCount?: number;
  migratedFromId?: number;
  profile?: Profile;
}

/**
 * Webhook changes shared by the REST API and /api/sandbox: each writes the store and tells live
 * viewers (and the dispatcher's cache). Callers validate first, each with its own error format.
 */
export async function createWebhook(
  context: Context,
  input: NewWebhookInput,
): Promise<StoredWebhook> {
  const now = context.now();
  const webhook = await context.store.webhooks.create({
    name: input.name,
    webhookUrl: input.webhookUrl,
    event: input.event,
    eventCount: input.eventCount ?? 0,
    active: input.active,
    hidden: input.hidden ?? false,
    integration: input.integration,
    dateCreated: now,
    dateModified: now,
    dateLastFailed: undefined,
    migratedFromId: input.migratedFromId ?? 0,
    profile: input.profile ?? 'plugin',
    secret: generateSecret(),
  });
  context.bus.publish({ type: 'webhook.changed', webhook });
  return webhook;
}

export async function updateWebhook(
  context: Context,
  id: number,
  patch: WebhookPatch,
): Promise<StoredWebhook | undefined> {
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
