import type { DeliverOptions, Profile } from '@umhooks/core';
import type { Context } from '../context.js';

/**
 * How the sandbox sends to a webhook: the plugin profile says it comes from this network (the
 * WordPress User-Agent names the sandbox's URL); the standard profile signs with the webhook's
 * own secret and keeps `webhook-id` across retries.
 */
export function sendOptions(
  context: Context,
  webhook: { profile: Profile; secret: string },
  extra: { eventId: string; messageId?: string; signal?: AbortSignal; timeoutMs?: number },
): DeliverOptions {
  const options: DeliverOptions = { profile: webhook.profile, eventId: extra.eventId };
  if (webhook.profile === 'plugin') options.siteUrl = context.baseUrl();
  else options.secret = webhook.secret;
  if (extra.messageId !== undefined) options.messageId = extra.messageId;
  if (extra.signal !== undefined) options.signal = extra.signal;
  if (extra.timeoutMs !== undefined) options.timeoutMs = extra.timeoutMs;
  return options;
}
