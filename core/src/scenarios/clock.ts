/**
 * Scenario time: UTC milliseconds, written the way the plugin stores dates (`Y-m-d H:i:s`, UTC;
 * see values.ts). Never reads the wall clock: a run's start comes from its seed or its options.
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `2026-04-01 12:34:56` */
export function mysqlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The same calendar day at 23:59:59 (the plugin's `gmdate('Y-m-d 23:59:59', …)`). */
export function endOfDay(ms: number): number {
  const day = new Date(ms);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 23, 59, 59);
}

/** One calendar month later, as PHP's `+1 month` (day overflow rolls into the next month). */
export function addMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

/**
 * The expiration Stripe renewals write (Stripe_Gateway::process_checkout and
 * Base_Stripe_Gateway::process_webhooks): the period's end at 23:59:59 of its day, or the period
 * end plus 2 hours (Stripe's estimated charge) when that is later.
 */
export function stripeExpiration(periodEnd: number): number {
  return Math.max(endOfDay(periodEnd), periodEnd + 2 * HOUR);
}
