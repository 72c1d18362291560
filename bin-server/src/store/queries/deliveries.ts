import type { DeliveryQuery } from '../types.js';
import type { Where } from './where.js';

/**
 * The list's conditions on `deliveries d`, in the order every driver binds them: cursor, webhook,
 * event, status. A cursor is the seq of the last item shown; one that is a delivery id is the
 * driver's to resolve (`afterId` returns the condition), and an unknown id yields an empty page.
 */
export function deliveryConditions(
  query: DeliveryQuery,
  where: Where,
  afterId: (id: string) => string,
): void {
  if (query.before !== undefined) {
    where.and(
      /^\d+$/.test(query.before)
        ? `d.seq < ${where.param(Number(query.before))}`
        : afterId(query.before),
    );
  }
  if (query.webhookId !== undefined) where.and(`d.webhook_id = ${where.param(query.webhookId)}`);
  if (query.event !== undefined) where.and(`d.event = ${where.param(query.event)}`);
  if (query.status !== undefined) where.and(`d.status = ${where.param(query.status)}`);
}

/** The cursor of the next page (pages.ts), as the delivery list hands it out: a string. */
export function deliveryCursor(nextBefore: number | undefined): string | undefined {
  return nextBefore === undefined ? undefined : String(nextBefore);
}
