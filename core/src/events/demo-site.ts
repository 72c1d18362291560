import { blockFields } from './blocks.js';
import { isPlainObject } from './values.js';

/*
 * demo_site_expiring: the registered sample is flat (site + membership + customer blocks), but the
 * live payload built by Site_Manager::check_expiring_demo_sites() (plugin 2.5 branch) nests whole
 * model arrays:
 *
 *   { site: Site::to_array(), membership: Membership::to_array() | [], customer: Customer::to_array(),
 *     demo_expires_at, demo_time_remaining, site_admin_url, site_url }
 *
 * `to_array()` is get_object_vars() of the model: raw properties only. From the plugin source:
 * - Site: id (= blog_id), blog_id, title, description, domain, path, customer_id, membership_id,
 *   type, registered, … (no manage URL);
 * - Membership: id, customer_id, plan_id, status, currency, amount, initial_amount, gateway,
 *   date_expiration, … (no reference code, formatted amounts, price description or manage URL);
 *   `[]` when the site has no membership;
 * - Customer: id, user_id, email_verification, type, last_login, … and `_user` (null unless
 *   injected; it holds the WordPress user's display_name/user_email when present). No name,
 *   email, avatar, billing address or manage URL.
 *
 * This maps that shape onto the flat keys of the sample, so both shapes normalize to the same
 * output. Keys the nested shape cannot supply become null and are reported; the nested objects are
 * kept as they came.
 */

/** The top-level keys of the live (nested) payload. */
export const NESTED_DEMO_KEYS = [
  'site',
  'membership',
  'customer',
  'demo_expires_at',
  'demo_time_remaining',
  'site_admin_url',
  'site_url',
] as const;

type Source = Record<string, unknown>;
type Pick = (nested: { site: Source; membership: Source; customer: Source }) => unknown;

const fromNested: Readonly<Record<string, Pick>> = {
  site_id: ({ site }) => site.blog_id ?? site.id,
  site_title: ({ site }) => site.title,
  site_description: ({ site }) => site.description,
  membership_id: ({ membership }) => membership.id,
  membership_status: ({ membership }) => membership.status,
  membership_initial_amount_raw: ({ membership }) => membership.initial_amount,
  membership_amount_raw: ({ membership }) => membership.amount,
  membership_currency: ({ membership }) => membership.currency,
  membership_gateway: ({ membership }) => membership.gateway,
  membership_date_expiration: ({ membership }) => membership.date_expiration,
  customer_id: ({ customer }) => customer.id,
  customer_name: ({ customer }) => userData(customer).display_name,
  customer_user_id: ({ customer }) => customer.user_id,
  customer_user_email: ({ customer }) => userData(customer).user_email,
  customer_email_verification: ({ customer }) => customer.email_verification,
};

function userData(customer: Source): Source {
  const user = customer._user;
  if (isPlainObject(user) && isPlainObject(user.data)) return user.data;
  return {};
}

function objectOrEmpty(value: unknown): Source {
  return isPlainObject(value) ? value : {};
}

/** True for the nested live shape (at least one of site/membership/customer is an object). */
export function isNestedDemoPayload(body: Source): boolean {
  return (
    isPlainObject(body.site) ||
    isPlainObject(body.customer) ||
    isPlainObject(body.membership) ||
    Array.isArray(body.membership)
  );
}

const FLAT_BLOCK_KEYS = [
  ...blockFields.site.map((f) => f.key),
  ...blockFields.membership.map((f) => f.key),
  ...blockFields.customer.map((f) => f.key),
];

export interface FlattenedDemo {
  flat: Source;
  /** Flat keys the nested payload does not carry (set to null). */
  unavailable: string[];
}

/**
 * Flat keys in the sample's order, then everything else the body had (nested objects included).
 * Keys already flat in the body win over derived ones.
 */
export function flattenDemoPayload(body: Source): FlattenedDemo {
  const nested = {
    site: objectOrEmpty(body.site),
    membership: objectOrEmpty(body.membership),
    customer: objectOrEmpty(body.customer),
  };
  const flat: Source = {};
  const unavailable: string[] = [];
  for (const key of FLAT_BLOCK_KEYS) {
    if (key in body) {
      flat[key] = body[key];
      continue;
    }
    const value = fromNested[key]?.(nested);
    if (value === undefined) unavailable.push(key);
    flat[key] = value ?? null;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!(key in flat)) flat[key] = value;
  }
  return { flat, unavailable };
}

/** The schema's preprocessing step: nested bodies become flat, anything else passes unchanged. */
export function flattenIfNested(body: unknown): unknown {
  return isPlainObject(body) && isNestedDemoPayload(body) ? flattenDemoPayload(body).flat : body;
}
