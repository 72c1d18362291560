import type { Bus } from '../bus/types.js';
import type { Delivery, StoredAttempt, SandboxWebhook } from '../store/types.js';
import type { LiveMessage } from '../wire/live.js';
import { toDeliveryJson, toWebhookJson } from '../wire/sandbox.js';

/**
 * Live messages on the bus topic `sandbox`: viewers of `/ws?sandbox=1` get them, and the
 * dispatcher listens for new pending deliveries to wake up (on every instance sharing the bus).
 */
export function publishDelivery(
  bus: Bus,
  delivery: Delivery,
  attempts: readonly StoredAttempt[] = [],
): void {
  const message: LiveMessage = { type: 'delivery', delivery: toDeliveryJson(delivery, attempts) };
  bus.publish('sandbox', message);
}

export function publishWebhook(bus: Bus, webhook: SandboxWebhook): void {
  const message: LiveMessage = { type: 'webhook.updated', webhook: toWebhookJson(webhook) };
  bus.publish('sandbox', message);
}

export function publishWebhookDeleted(bus: Bus, id: number): void {
  const message: LiveMessage = { type: 'webhook.deleted', id };
  bus.publish('sandbox', message);
}
