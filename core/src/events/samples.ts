import type { BlockName } from './types.js';

/**
 * Realistic block values, as a live delivery of a well-configured network carries them (the
 * examples of reference/events.json). Events build their `sample` from these plus their own fields.
 */

export const SAMPLE_WU_VERSION = '2.4.12';

const NETWORK = 'https://network.example.com';
const ADMIN = `${NETWORK}/wp-admin/network/admin.php?page=`;

export const realisticBlocks: Readonly<Record<BlockName, Readonly<Record<string, unknown>>>> = {
  payment: {
    payment_id: 103,
    payment_status: 'completed',
    payment_reference_code: 'PEN8DJ8GKM',
    payment_subtotal: '$ 29.00',
    payment_subtotal_raw: 29,
    payment_tax_total: '$ 0.00',
    payment_tax_total_raw: 0,
    payment_total: '$ 29.00',
    payment_total_raw: 29,
    payment_currency: 'USD',
    payment_product_names: 'Premium Plan',
    payment_date_created: '2026-04-01 12:34:56',
    payment_gateway: 'stripe',
    payment_invoice_url: `${NETWORK}/?action=invoice&reference=PEN8DJ8GKM&key=a1b2c3d4e5`,
    payment_manage_url: `${ADMIN}wp-ultimo-edit-payment&id=103`,
  },
  membership: {
    membership_id: 7,
    membership_status: 'active',
    membership_reference_code: 'QG2P384NR3',
    membership_initial_amount: '$ 29.00',
    membership_initial_amount_raw: 29.0,
    membership_amount: '$ 29.00',
    membership_amount_raw: 29.0,
    membership_currency: 'USD',
    membership_description: '$ 29.00 every month',
    membership_gateway: 'stripe',
    membership_date_expiration: '2026-05-01 00:00:00',
    membership_manage_url: `${ADMIN}wp-ultimo-edit-membership&id=7`,
  },
  customer: {
    customer_id: 42,
    customer_name: 'Jane Doe',
    customer_user_id: 17,
    customer_user_email: 'jane@example.com',
    customer_email_verification: 'verified',
    customer_avatar:
      "<img alt='' src='https://secure.gravatar.com/avatar/0123abcd?s=40&d=identicon' class='avatar avatar-40 photo wu-rounded-full wu-mr-3' height='40' width='40' />",
    customer_billing_address:
      'Acme Bakery LLC\nbilling@acme.example\n123 Main St\nUS\nNY\nNew York\n10001',
    customer_manage_url: `${ADMIN}wp-ultimo-edit-customer&id=42`,
  },
  site: {
    site_id: 12,
    site_title: "Jane's Bakery",
    site_description: 'Fresh bread daily',
    site_url: 'https://janesbakery.network.example.com',
    site_admin_url: 'https://janesbakery.network.example.com/wp-admin/',
    site_manage_url: `${ADMIN}wp-ultimo-edit-site&id=12`,
  },
  domain: {
    domain_id: 5,
    domain_domain: 'janesbakery.com',
    domain_site_id: 12,
    domain_stage: 'checking-dns',
    domain_active: 'true',
    domain_primary: 'false',
    domain_secure: 'false',
    domain_date_created: '2026-04-01 12:00:00',
    domain_manage_url: `${ADMIN}wp-ultimo-edit-domain&id=5`,
  },
  billing: {
    company_name: 'Acme Bakery LLC',
    billing_email: 'billing@acme.example',
    billing_address_line_1: '123 Main St',
    billing_address_line_2: 'Suite 4',
    billing_country: 'US',
    billing_state: 'NY',
    billing_city: 'New York',
    billing_zip_code: '10001',
  },
};
