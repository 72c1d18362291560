/**
 * Normalizers for single payload values. Each accepts every variant the plugin really sends for one
 * kind of field and returns the clean value, or says what was expected. They are plain functions so
 * that zod schemas (fields.ts), the generic add-on schema and the checks in lint.ts share them.
 */

/** How a field's value is normalized. */
export type ValueKind =
  'integer' | 'number' | 'boolean' | 'datetime' | 'string' | 'url' | 'email' | 'html' | 'json';

interface Failed {
  ok: false;
  expected: string;
}

/** A normalizer's answer: the clean value, or what was expected instead. */
export type Normalized<T = unknown> = { ok: true; value: T } | Failed;

const ok = <T>(value: T): Normalized<T> => ({ ok: true, value });
const fail = (expected: string): Failed => ({ ok: false, expected });

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** PHP sends "no value" as null, and often as "" or false when a getter has nothing. */
function isEmpty(value: unknown): boolean {
  return value === null || value === '' || value === false;
}

/** Ids and counts: integers when the object was just created, numeric strings when loaded from the database. */
function integer(value: unknown): Normalized<number | null> {
  if (isEmpty(value)) return ok(null);
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ok(value) : fail('a whole number');
  }
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) {
    const parsed = Number(value.trim());
    return Number.isSafeInteger(parsed) ? ok(parsed) : fail('a whole number');
  }
  return fail('a whole number');
}

/** Raw amounts: PHP ints or floats, or numeric strings straight from the database (`"29.00000000"`). */
function number(value: unknown): Normalized<number | null> {
  if (isEmpty(value)) return ok(null);
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail('a number');
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return ok(Number(value.trim()));
  return fail('a number');
}

const TRUE_TEXT = new Set(['true', '1', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'off']);

/** `domain_active` & co. arrive as `var_export`ed strings ("true"/"false"); database rows give "1"/"0". */
function boolean(value: unknown): Normalized<boolean | null> {
  if (value === null || value === '') return ok(null);
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (TRUE_TEXT.has(text)) return ok(true);
    if (FALSE_TEXT.has(text)) return ok(false);
  }
  return fail('true or false');
}

const MYSQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * A real calendar date and time, as Date.UTC would round-trip it: no 2026-02-30 or 24:00 (Date
 * rolls those over). Years below 100 are refused too: Date.UTC reads them as 1900-1999. Checked
 * with arithmetic because building and reading back a Date cost ~1 µs per field, the most
 * expensive part of checking a payload.
 */
function isRealDateTime(y: number, mo: number, d: number, h: number, mi: number, s: number) {
  return (
    y >= 100 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, mo) &&
    h <= 23 &&
    mi <= 59 &&
    s <= 59
  );
}

/**
 * Dates come as MySQL `Y-m-d H:i:s` without a zone. The plugin stores them in UTC: BerlinDB fills
 * `date_created` with gmdate(), `calculate_expiration()` and `calculate_demo_expiration()` use
 * gmdate() on `wu_get_current_time('timestamp', true)`, events are saved with
 * `wu_get_current_time('mysql', true)`, and `wu_human_time_diff()` reads stored dates through
 * `get_date_from_gmt()` (plugin source, inc/models/*, inc/functions/date.php). So they are read as
 * UTC and returned as ISO 8601 with `Z`. MySQL's zero date means "never" (lifetime memberships).
 */
function datetime(value: unknown): Normalized<string | null> {
  if (isEmpty(value)) return ok(null);
  if (typeof value !== 'string') return fail('a date like "2026-05-01 00:00:00"');
  const text = value.trim();
  if (text.startsWith('0000-00-00')) return ok(null);
  const match = MYSQL_DATETIME.exec(text);
  if (match) {
    const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00'] = match;
    const real = isRealDateTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
    // The parts are zero-padded already: the ISO form is the same digits, read as UTC.
    return real
      ? ok(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)
      : fail('a real calendar date like "2026-05-01 00:00:00"');
  }
  // Already normalized (an ISO date with a zone), e.g. a payload that went through umhooks before.
  if (ISO_WITH_ZONE.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ok(isoUtc(ms));
  }
  return fail('a date like "2026-05-01 00:00:00"');
}

/** Text fields; numbers are turned into text (PHP may hand over an int), false/null mean "none". */
function string(value: unknown): Normalized<string | null> {
  if (value === null || value === false) return ok(null);
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  return fail('text');
}

/** Anything JSON can hold (lists and maps the plugin builds, e.g. checkout error codes). */
function json(value: unknown): Normalized {
  return ok(value);
}

export const normalizers = {
  integer,
  number,
  boolean,
  datetime,
  string,
  url: string,
  email: string,
  html: string,
  json,
} as const satisfies Readonly<Record<ValueKind, (value: unknown) => Normalized>>;

/**
 * What a field of each kind holds after normalization, read off the normalizers' return types
 * (every kind can be null: PHP sends "no value" as null, "" or false).
 */
export type KindValue = {
  [K in ValueKind]: Extract<ReturnType<(typeof normalizers)[K]>, { ok: true }>['value'];
};

/** A short, safe rendering of a received value for messages: `"abc"`, `42`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const text = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(text);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
