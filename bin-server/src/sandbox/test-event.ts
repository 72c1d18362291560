import { deliver, resolveEvent } from '@umhooks/core';
import type { Context } from '../context.js';
import type { SandboxWebhook } from '../store/types.js';
import type { TestResultJson } from '../wire/sandbox.js';
import { sendOptions } from './send-options.js';

/**
 * Send Test Event, as the plugin does it: posts the event's mock sample (`pluginSample`) to the
 * webhook's URL and waits for the answer. Not counted, not queued, not logged; the webhook's
 * profile decides how it is sent (the standard profile signs it).
 */
export async function sendTestEvent(
  context: Context,
  webhook: SandboxWebhook,
): Promise<TestResultJson> {
  const sample = resolveEvent(webhook.event).pluginSample;
  if (Object.keys(sample).length === 0) {
    // The plugin has no payload for an event it does not know and sends nothing (its dialog then
    // shows an empty response). Fire the event with a custom payload instead.
    return {
      response: '',
      id: webhook.id,
      status: null,
      error: {
        kind: 'other',
        message: `Nothing was sent: "${webhook.event}" is not an event this sandbox knows, so there is no sample to post. Use "Fire" with your own payload instead.`,
      },
      duration_ms: 0,
    };
  }
  const attempt = await deliver(
    webhook.webhookUrl,
    sample,
    sendOptions(context, webhook, { eventId: webhook.event, signal: context.signal }),
  );
  const error = attempt.error ? { kind: attempt.error.kind, message: attempt.error.message } : null;
  return {
    response: attempt.responseBody ?? error?.message ?? '',
    id: webhook.id,
    status: attempt.status ?? null,
    error,
    duration_ms: attempt.durationMs,
  };
}
