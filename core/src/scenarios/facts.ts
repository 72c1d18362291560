import { getEvent } from '../events/catalog.js';
import { SAMPLE_WU_VERSION } from '../events/samples.js';
import { mysqlDate } from './clock.js';
import type { World } from './world.js';

/*
 * What each payload block says about the world at one moment, key for key as
 * `wu_generate_event_payload()` fills it, and the payload of an event assembled from them in the
 * catalog's key order. A scenario changes the states below between events; everything else comes
 * from the world, so ids, names and amounts agree across a run.
 */

export type Facts = Record<string, unknown>;

export interface CustomerState {
  verification: 'none' | 'pending' | 'verified';
  /** Before the checkout saves the billing address the customer has none (no billing keys). */
  billingSaved: boolean;
}

export interface MembershipState {
  status: 'pending' | 'active' | 'trialing' | 'expired' | 'on-hold' | 'cancelled';
  gateway: string;
  /** UTC ms; null for none. */
  expiration: number | null;
}

export interface PaymentState {
  id: number;
  reference: string;
  status: 'pending' | 'completed' | 'failed' | 'cancelled';
  subtotal: number;
  tax: number;
  total: number;
  created: number;
  gateway: string;
  /** The `key` of the invoice URL (a nonce in the plugin). */
  invoiceKey: string;
}

/** `wu_format_currency()` with the default format: symbol, space, two decimals. */
function money(world: World, amount: number): string {
  return `${world.currency.symbol} ${amount.toFixed(2)}`;
}

function adminUrl(world: World, page: string, id: number): string {
  return `${world.network}/wp-admin/network/admin.php?page=wp-ultimo-edit-${page}&id=${id}`;
}

function siteUrl(world: World): string {
  return `https://${world.site.slug}.${new URL(world.network).host}`;
}

export function customerFacts(world: World, state: CustomerState): Facts {
  const { customer } = world;
  const billing = state.billingSaved ? customer.billing : {};
  return {
    customer_id: customer.id,
    customer_name: customer.name,
    customer_user_id: customer.userId,
    customer_user_email: customer.email,
    customer_email_verification: state.verification,
    customer_avatar: `<img alt='' src='https://secure.gravatar.com/avatar/${customer.avatarHash}?s=40&d=identicon' class='avatar avatar-40 photo wu-rounded-full wu-mr-3' height='40' width='40' />`,
    customer_billing_address: Object.values(billing).join('\n'),
    customer_manage_url: adminUrl(world, 'customer', customer.id),
    // Billing_Address::to_array() keeps only filled-in fields (model events merge these).
    ...billing,
  };
}

export function membershipFacts(world: World, state: MembershipState): Facts {
  const { plan, membership } = world;
  const initial = plan.amount + plan.setupFee;
  return {
    membership_id: membership.id,
    membership_status: state.status,
    membership_reference_code: membership.reference,
    membership_initial_amount: money(world, initial),
    membership_initial_amount_raw: initial,
    membership_amount: money(world, plan.amount),
    membership_amount_raw: plan.amount,
    membership_currency: world.currency.code,
    membership_description: `${money(world, plan.amount)} every month`,
    membership_gateway: state.gateway,
    membership_date_expiration: state.expiration === null ? null : mysqlDate(state.expiration),
    membership_manage_url: adminUrl(world, 'membership', membership.id),
  };
}

export function paymentFacts(world: World, payment: PaymentState): Facts {
  return {
    payment_id: payment.id,
    payment_status: payment.status,
    payment_reference_code: payment.reference,
    payment_subtotal: money(world, payment.subtotal),
    payment_subtotal_raw: payment.subtotal,
    payment_tax_total: money(world, payment.tax),
    payment_tax_total_raw: payment.tax,
    payment_total: money(world, payment.total),
    payment_total_raw: payment.total,
    payment_currency: world.currency.code,
    payment_product_names: world.plan.name,
    payment_date_created: mysqlDate(payment.created),
    payment_gateway: payment.gateway,
    payment_invoice_url: `${world.network}/?action=invoice&reference=${payment.reference}&key=${payment.invoiceKey}`,
    payment_manage_url: adminUrl(world, 'payment', payment.id),
  };
}

export function siteFacts(world: World): Facts {
  const url = siteUrl(world);
  return {
    site_id: world.site.id,
    site_title: world.site.title,
    site_description: world.site.description,
    site_url: url,
    site_admin_url: `${url}/wp-admin/`,
    site_manage_url: adminUrl(world, 'site', world.site.id),
  };
}

export function domainFacts(world: World, created: number): Facts {
  const { domain } = world;
  // Domain booleans are var_export()ed strings in payloads; a new domain starts at checking-dns.
  return {
    domain_id: domain.id,
    domain_domain: domain.name,
    domain_site_id: world.site.id,
    domain_stage: 'checking-dns',
    domain_active: 'true',
    domain_primary: domain.primary ? 'true' : 'false',
    domain_secure: 'false',
    domain_date_created: mysqlDate(created),
    domain_manage_url: adminUrl(world, 'domain', domain.id),
  };
}

/**
 * The payload of `eventId` from `facts`: the event's keys in the catalog's order, optional ones
 * (billing) only when known, then `wu_version`. A required key without a fact is a bug in the
 * scenario, so it throws.
 */
export function assemblePayload(eventId: string, facts: Facts): Record<string, unknown> {
  const event = getEvent(eventId);
  if (!event) throw new Error(`scenario uses "${eventId}", which is not in the catalog`);
  const payload: Record<string, unknown> = {};
  for (const field of event.fields) {
    if (facts[field.key] !== undefined) payload[field.key] = facts[field.key];
    else if (!field.optional) throw new Error(`scenario gives ${eventId} no ${field.key}`);
  }
  payload.wu_version = SAMPLE_WU_VERSION;
  return payload;
}
