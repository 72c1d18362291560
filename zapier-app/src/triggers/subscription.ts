import { WEBHOOK_MAX_LENGTH } from '@umhooks/core';
import { z as zod } from 'zod';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { apiUrl } from '../api.js';
import { pluginError, responseError } from '../errors.js';

/** The plugin's column sizes: a longer URL or event would not be stored. */
const MAX_WEBHOOK_URL = WEBHOOK_MAX_LENGTH.webhook_url;
const MAX_EVENT = WEBHOOK_MAX_LENGTH.event;

/** What `POST /webhook` answers: the created record (ids are numbers, or strings when read back). */
const createdWebhookSchema = zod
  .object({ id: zod.union([zod.number(), zod.string().min(1)]) })
  .loose();

/** Stored by Zapier as `bundle.subscribeData`; flat, so `id` is at the top (a nested id breaks unsubscribe). */
export interface SubscribeData {
  id: string;
  event: string;
  name: string;
  webhook_url: string;
}

/** Turns a Zap on: creates a webhook on the network that posts `event` to this Zap's target URL. */
export async function subscribe(
  z: ZObject,
  bundle: Bundle,
  event: string,
  label: string,
): Promise<SubscribeData> {
  const targetUrl = bundle.targetUrl;
  if (typeof targetUrl !== 'string' || targetUrl === '') {
    throw new z.errors.Error(
      'Zapier did not provide a target URL to subscribe.',
      'MissingTargetUrl',
      400,
    );
  }
  if (targetUrl.length > MAX_WEBHOOK_URL) {
    throw new z.errors.Error(
      `The Zap's webhook address is ${targetUrl.length} characters long; Ultimate Multisite stores at most ${MAX_WEBHOOK_URL}.`,
      'TargetUrlTooLong',
      400,
    );
  }
  if (event === '' || event.length > MAX_EVENT) {
    throw new z.errors.Error(
      `Choose an event (an event id of 1 to ${MAX_EVENT} characters).`,
      'InvalidEvent',
      400,
    );
  }
  const name = `Zapier: ${label}`;
  const response = await z.request({
    url: apiUrl(z, bundle, '/webhook'),
    method: 'POST',
    body: { name, webhook_url: targetUrl, event, integration: 'zapier', active: true },
  });
  const created = createdWebhookSchema.safeParse(response.data);
  if (!created.success) {
    throw new z.errors.Error(
      'The site accepted the new webhook but answered without its id. If the Site URL redirects ' +
        '(http → https, or to www), enter the final address as the Site URL and reconnect.',
      'UnexpectedResponse',
      response.status,
    );
  }
  return { id: String(created.data.id), event, name, webhook_url: targetUrl };
}

/**
 * Turns a Zap off (or deletes it): removes the webhook. Zapier calls this for both actions, so a
 * webhook that is already gone (404) counts as done.
 */
export async function unsubscribe(
  z: ZObject,
  bundle: Bundle,
): Promise<{ id: string; deleted: boolean }> {
  const raw: unknown = (bundle.subscribeData as { id?: unknown } | undefined)?.id;
  const id = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d+$/.test(id)) {
    throw new z.errors.Error(
      `This Zap has no webhook id to remove (subscribe data id: ${JSON.stringify(raw ?? null)}). Delete the webhook named "Zapier: …" under Ultimate Multisite › Webhooks if it is still there.`,
      'MissingSubscription',
      400,
    );
  }
  const response = await z.request({
    url: apiUrl(z, bundle, `/webhook/${id}`),
    method: 'DELETE',
    skipThrowForStatus: true,
  });
  // "Item not found." from the plugin: already deleted. A 404 page that is not the plugin's JSON
  // means the Site URL no longer reaches the API, and is reported rather than hidden.
  if (response.status === 404 && pluginError(response)) return { id, deleted: false };
  const error = responseError(z, response);
  if (error) throw error;
  return { id, deleted: true };
}
