import {
  applyOverrides,
  getEvent,
  parsePayload,
  type Overrides,
  type PayloadIssue,
} from '@umhooks/core';
import type { Context } from '../context.js';
import type { Delivery, NewDelivery } from '../store/types.js';
import { newDeliveryId } from './ids.js';

export type FireResult =
  | { ok: true; event: string; deliveries: string[] }
  | { ok: false; issues: PayloadIssue[] }
  /** An event the catalog does not know, fired without a payload: there is no sample to send. */
  | { ok: false; unknownEvent: true };

/**
 * Fires `event` to every active webhook subscribed to it: the catalog's realistic sample when no
 * payload is given, else the payload, checked against the event's schema first (`force` sends
 * one that fails). `overrides` change fields of either first (typed by the event's schema; the
 * result is checked the same way). The deliveries are committed to the outbox before this resolves, then
 * `delivery.queued` tells live viewers and the dispatchers (of every instance on the bus).
 */
export async function fireEvent(
  context: Context,
  event: string,
  payload: Record<string, unknown> | undefined,
  force = false,
  overrides?: Overrides,
): Promise<FireResult> {
  let body = payload;
  if (body === undefined) {
    // An add-on's event fires with the payload it is given; a typo must not fire `{}` silently.
    const known = getEvent(event);
    if (!known) return { ok: false, unknownEvent: true };
    body = known.sample;
  }
  if (overrides && (Object.keys(overrides.set ?? {}).length > 0 || overrides.unset?.length)) {
    const applied = applyOverrides(event, body, overrides, force);
    if (!applied.ok) return { ok: false, issues: applied.issues };
    body = applied.payload;
  } else if (payload !== undefined) {
    const checked = parsePayload(event, body);
    if (!checked.ok && !force) return { ok: false, issues: checked.issues };
  }
  const webhooks = await context.store.webhooks.forEvent(event);
  const createdAt = context.now();
  const text = JSON.stringify(body);
  const deliveries: NewDelivery[] = webhooks.map((webhook) => ({
    id: newDeliveryId(createdAt),
    webhookId: webhook.id,
    event,
    payload: text,
    profile: webhook.profile,
    url: webhook.webhookUrl,
    createdAt,
  }));
  await context.store.deliveries.enqueue(deliveries);
  for (const d of deliveries) {
    const pending: Delivery = {
      id: d.id,
      webhookId: d.webhookId,
      event,
      payload: text,
      profile: d.profile,
      url: d.url,
      status: 'pending',
      attemptCount: 0,
      createdAt,
      nextAttemptAt: createdAt,
      leaseOwner: undefined,
      leaseUntil: undefined,
    };
    context.bus.publish({ type: 'delivery.queued', delivery: pending });
  }
  return { ok: true, event, deliveries: deliveries.map((d) => d.id) };
}
