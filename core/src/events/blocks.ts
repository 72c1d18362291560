import { fieldSchema, type FieldSchema, type FieldSpec } from './fields.js';
import type { BlockName } from './types.js';

/*
 * The payload blocks, key for key in the order `wu_generate_event_payload()` builds them
 * (plugin source, inc/functions/event.php). Every event payload is a flat merge of some of them.
 */

const ADMIN_LINK = 'Opens this record in the network admin of Ultimate Multisite.';
const FORMATTED = 'Formatted with the currency symbol, e.g. "$ 29.00".';
const RAW = 'The same amount as a plain number, ready for calculations.';

export const MEMBERSHIP_STATUSES = [
  'pending',
  'active',
  'trialing',
  'expired',
  'on-hold',
  'cancelled',
] as const;

export const PAYMENT_STATUSES = [
  'pending',
  'completed',
  'refunded',
  'partially-refunded',
  'partially-paid',
  'failed',
  'cancelled',
  'draft',
] as const;

export const DOMAIN_STAGES = [
  'checking-dns',
  'checking-ssl-cert',
  'done-without-ssl',
  'done',
  'failed',
  'ssl-failed',
] as const;

export const EMAIL_VERIFICATION_STATES = ['none', 'pending', 'verified'] as const;

const customer = [
  { key: 'customer_id', label: 'Customer ID', kind: 'integer' },
  { key: 'customer_name', label: 'Customer Name', kind: 'string' },
  {
    key: 'customer_user_id',
    label: 'Customer WordPress User ID',
    kind: 'integer',
    help: 'The ID of the WordPress user account behind the customer.',
  },
  { key: 'customer_user_email', label: 'Customer Email', kind: 'email' },
  {
    key: 'customer_email_verification',
    label: 'Customer Email Verification',
    kind: 'string',
    choices: EMAIL_VERIFICATION_STATES,
    help: 'none, pending or verified (empty in test events).',
  },
  {
    key: 'customer_avatar',
    label: 'Customer Avatar (HTML)',
    kind: 'html',
    help: "An HTML <img> tag showing the customer's Gravatar picture.",
  },
  {
    key: 'customer_billing_address',
    label: 'Customer Billing Address',
    kind: 'string',
    help: 'The filled-in billing address fields, one per line.',
  },
  {
    key: 'customer_manage_url',
    label: 'Customer Link (Network Admin)',
    kind: 'url',
    help: ADMIN_LINK,
  },
] as const satisfies readonly FieldSpec[];

const membership = [
  { key: 'membership_id', label: 'Membership ID', kind: 'integer' },
  {
    key: 'membership_status',
    label: 'Membership Status',
    kind: 'string',
    choices: MEMBERSHIP_STATUSES,
  },
  {
    key: 'membership_reference_code',
    label: 'Membership Reference Code',
    kind: 'string',
    help: 'A 10-character code such as QG2P384NR3.',
  },
  {
    key: 'membership_initial_amount',
    label: 'Membership First Charge',
    kind: 'string',
    help: `What the first payment costs, setup fee included. ${FORMATTED}`,
  },
  {
    key: 'membership_initial_amount_raw',
    label: 'Membership First Charge (Number)',
    kind: 'number',
    encodesAsFloat: true,
    help: RAW,
  },
  {
    key: 'membership_amount',
    label: 'Membership Recurring Amount',
    kind: 'string',
    help: `What each renewal costs. ${FORMATTED}`,
  },
  {
    key: 'membership_amount_raw',
    label: 'Membership Recurring Amount (Number)',
    kind: 'number',
    encodesAsFloat: true,
    help: RAW,
  },
  {
    key: 'membership_currency',
    label: 'Membership Currency',
    kind: 'string',
    help: 'Three-letter currency code, e.g. USD.',
  },
  {
    key: 'membership_description',
    label: 'Membership Price Description',
    kind: 'string',
    help: 'The price in words, e.g. "$ 29.00 every month" or "Free!".',
  },
  {
    key: 'membership_gateway',
    label: 'Membership Payment Gateway',
    kind: 'string',
    help: 'The gateway id, e.g. stripe, paypal or manual.',
  },
  {
    key: 'membership_date_expiration',
    label: 'Membership Expiration Date',
    kind: 'datetime',
    help: 'In UTC. Empty for memberships that never expire.',
  },
  {
    key: 'membership_manage_url',
    label: 'Membership Link (Network Admin)',
    kind: 'url',
    help: ADMIN_LINK,
  },
] as const satisfies readonly FieldSpec[];

const payment = [
  { key: 'payment_id', label: 'Payment ID', kind: 'integer' },
  { key: 'payment_status', label: 'Payment Status', kind: 'string', choices: PAYMENT_STATUSES },
  {
    key: 'payment_reference_code',
    label: 'Payment Reference Code',
    kind: 'string',
    help: 'A 10-character code such as PEN8DJ8GKM, also used on the invoice.',
  },
  { key: 'payment_subtotal', label: 'Payment Subtotal', kind: 'string', help: FORMATTED },
  { key: 'payment_subtotal_raw', label: 'Payment Subtotal (Number)', kind: 'number', help: RAW },
  { key: 'payment_tax_total', label: 'Payment Tax', kind: 'string', help: FORMATTED },
  { key: 'payment_tax_total_raw', label: 'Payment Tax (Number)', kind: 'number', help: RAW },
  { key: 'payment_total', label: 'Payment Total', kind: 'string', help: FORMATTED },
  { key: 'payment_total_raw', label: 'Payment Total (Number)', kind: 'number', help: RAW },
  {
    key: 'payment_currency',
    label: 'Payment Currency',
    kind: 'string',
    help: 'Three-letter currency code, e.g. USD.',
  },
  {
    key: 'payment_product_names',
    label: 'Payment Products',
    kind: 'string',
    help: 'The names of the products paid for, separated by commas.',
  },
  { key: 'payment_date_created', label: 'Payment Date', kind: 'datetime', help: 'In UTC.' },
  {
    key: 'payment_gateway',
    label: 'Payment Gateway',
    kind: 'string',
    help: 'The gateway id, e.g. stripe, paypal or manual.',
  },
  { key: 'payment_invoice_url', label: 'Payment Invoice URL', kind: 'url' },
  {
    key: 'payment_manage_url',
    label: 'Payment Link (Network Admin)',
    kind: 'url',
    help: ADMIN_LINK,
  },
] as const satisfies readonly FieldSpec[];

const site = [
  { key: 'site_id', label: 'Site ID', kind: 'integer' },
  { key: 'site_title', label: 'Site Title', kind: 'string' },
  { key: 'site_description', label: 'Site Description', kind: 'string' },
  { key: 'site_url', label: 'Site URL', kind: 'url' },
  {
    key: 'site_admin_url',
    label: 'Site Dashboard URL',
    kind: 'url',
    help: "The site's wp-admin address.",
  },
  { key: 'site_manage_url', label: 'Site Link (Network Admin)', kind: 'url', help: ADMIN_LINK },
] as const satisfies readonly FieldSpec[];

const TRUE_FALSE_TEXT = 'Sent as the text "true" or "false"; output as a true/false value.';

const domain = [
  { key: 'domain_id', label: 'Domain ID', kind: 'integer' },
  { key: 'domain_domain', label: 'Domain Name', kind: 'string', help: 'e.g. janesbakery.com' },
  {
    key: 'domain_site_id',
    label: 'Domain Site ID',
    kind: 'integer',
    help: 'The site the domain points to.',
  },
  {
    key: 'domain_stage',
    label: 'Domain Stage',
    kind: 'string',
    choices: DOMAIN_STAGES,
    help: 'Where the domain is in its setup: DNS check, certificate check, done or failed.',
  },
  { key: 'domain_active', label: 'Domain Active', kind: 'boolean', help: TRUE_FALSE_TEXT },
  { key: 'domain_primary', label: 'Domain Is Primary', kind: 'boolean', help: TRUE_FALSE_TEXT },
  { key: 'domain_secure', label: 'Domain Uses HTTPS', kind: 'boolean', help: TRUE_FALSE_TEXT },
  { key: 'domain_date_created', label: 'Domain Date Added', kind: 'datetime', help: 'In UTC.' },
  { key: 'domain_manage_url', label: 'Domain Link (Network Admin)', kind: 'url', help: ADMIN_LINK },
] as const satisfies readonly FieldSpec[];

const ONLY_WHEN_FILLED = 'Only sent when the customer filled it in.';

// Live payloads carry only the non-empty billing fields (Billing_Address::to_array() filters them).
const billingFields = [
  { key: 'company_name', label: 'Billing Company Name', kind: 'string' },
  { key: 'billing_email', label: 'Billing Email', kind: 'email' },
  { key: 'billing_address_line_1', label: 'Billing Address Line 1', kind: 'string' },
  { key: 'billing_address_line_2', label: 'Billing Address Line 2', kind: 'string' },
  {
    key: 'billing_country',
    label: 'Billing Country',
    kind: 'string',
    help: `Two-letter country code, e.g. US. ${ONLY_WHEN_FILLED}`,
  },
  { key: 'billing_state', label: 'Billing State / Province', kind: 'string' },
  { key: 'billing_city', label: 'Billing City', kind: 'string' },
  { key: 'billing_zip_code', label: 'Billing ZIP / Postal Code', kind: 'string' },
] as const satisfies readonly FieldSpec[];
type AllOptional<T extends readonly FieldSpec[]> = {
  readonly [I in keyof T]: T[I] & { optional: true };
};
const billing = billingFields.map((spec) => ({
  help: ONLY_WHEN_FILLED,
  ...spec,
  optional: true,
})) as unknown as AllOptional<typeof billingFields>; // map() keeps the order, not the tuple type

export const blockFields = {
  customer,
  membership,
  payment,
  site,
  domain,
  billing,
} as const satisfies Readonly<Record<BlockName, readonly FieldSpec[]>>;

export const BLOCK_NAMES = Object.keys(blockFields) as BlockName[];

/** Every key any block defines, for recognizing known keys in add-on payloads. */
export const blockFieldByKey: ReadonlyMap<string, FieldSpec> = new Map(
  BLOCK_NAMES.flatMap((name) => blockFields[name].map((spec) => [spec.key, spec] as const)),
);

/** The type of `blockShape(name, optional)`: each of the block's keys with its field schema. */
export type BlockShape<N extends BlockName, Optional extends boolean = false> = {
  [S in (typeof blockFields)[N][number] as S['key']]: FieldSchema<S, Optional>;
};

/** The zod shape of a block: each key with its normalizing schema (all optional when asked). */
export function blockShape<N extends BlockName, Optional extends boolean = false>(
  name: N,
  optional?: Optional,
): BlockShape<N, Optional> {
  const fields: readonly FieldSpec[] = blockFields[name];
  // Built key by key from the same fields BlockShape maps over.
  return Object.fromEntries(
    fields.map((spec) => [spec.key, fieldSchema(spec, optional)]),
  ) as BlockShape<N, Optional>;
}
