import { resolveEvent, type Attempt } from '@umhooks/core';
import type { Context } from '../context.js';
import type { SandboxWebhook } from '../store/types.js';
import { sendOptions } from './send-options.js';

/** What Send Test Event did: the attempt, or why nothing was sent. */
export type TestEventOutcome = { attempt: Attempt } | { notSent: string };

/**
 * Send Test Event, as the plugin does it: posts the event's mock sample (`pluginSample`) to the
 * webhook's URL and waits for the answer. Not counted, not queued, not logged; the webhook's
 * profile decides how it is sent (the standard profile signs it).
 */
export async function sendTestEvent(
  context: Context,
  webhook: SandboxWebhook,
): Promise<TestEventOutcome> {
  const sample = resolveEvent(webhook.event).pluginSample;
  if (Object.keys(sample).length === 0) {
    // The plugin has no payload for an event it does not know and sends nothing (its dialog then
    // shows an empty response). Fire the event with a custom payload instead.
    return {
      notSent: `Nothing was sent: "${webhook.event}" is not an event this sandbox knows, so there is no sample to post. Use "Fire" with your own payload instead.`,
    };
  }
  const attempt = await context.outbound.deliver(
    webhook.webhookUrl,
    sample,
    sendOptions(context, webhook, { eventId: webhook.event, signal: context.signal }),
  );
  return { attempt };
}
