import type { BlockName } from './types.js';

/*
 * What the plugin's Send Test Event posts, block by block. Derived from the plugin source
 * (Ultimate Multisite 2.4.x; inc/functions/mock.php, inc/functions/event.php, inc/models/*):
 *
 * - The registered payload callbacks call wu_generate_event_payload($block) without a model, which
 *   builds one from wu_mock_customer() / wu_mock_membership() / wu_mock_payment() / wu_mock_site() /
 *   wu_mock_domain(), then reads `to_search_results()`, i.e. mostly the *raw* object properties.
 * - Unsaved models have `id = 0`; properties never set stay null (statuses, currencies, gateways,
 *   dates, `Customer::user_id`, `Site::blog_id`), so `customer_user_id` and `site_id` are null,
 *   not 0. Amounts default to the PHP int 0 (so JSON `0`, not `0.0`), formatted as "$ 0.00".
 * - `Payment::date_created` defaults to '' (Base_Model), `Domain::date_created` to null.
 * - Reference codes are Hash::encode(0, 'membership' | 'payment'): Hashids with the group as salt,
 *   length 10, alphabet A-Z0-9 (2.4.x) → QG2P384NR3 / PEN8DJ8GKM. (2.5 switched to its own
 *   encoder, which yields other codes.)
 * - The mock customer is "John McMocked" <mockeduser@dev.dev> with a billing address of
 *   company "Company Co." and email "company@co.dev", joined by newlines.
 * - The mock membership has no customer, so its price description is "Free!".
 * - The mock domain is example.com on blog 1, active/primary/secure, stage checking-dns; booleans
 *   are var_export()ed to the strings "true"/"false".
 * - Model events (customer_*, membership_*, payment_*) add all 8 billing keys as "".
 *
 * URLs depend on the network; network.example.com stands in for it. The avatar is what get_avatar()
 * prints on WordPress 6.8+ (SHA-256 Gravatar hash of mockeduser@dev.dev); older WordPress versions
 * print an MD5 hash and slightly different attributes.
 */

const NETWORK = 'https://network.example.com';
const ADMIN = `${NETWORK}/wp-admin/network/admin.php?page=`;
const MOCK_EMAIL_SHA256 = 'd6df458bcb0e8ec3e5577b180c6670a19f11459ddf2dc08bb9e389a3e185bf5d';
const GRAVATAR = `https://secure.gravatar.com/avatar/${MOCK_EMAIL_SHA256}`;

export const mockBlocks: Readonly<Record<BlockName, Readonly<Record<string, unknown>>>> = {
  payment: {
    payment_id: 0,
    payment_status: null,
    payment_reference_code: 'PEN8DJ8GKM',
    payment_subtotal: '$ 0.00',
    payment_subtotal_raw: 0,
    payment_tax_total: '$ 0.00',
    payment_tax_total_raw: 0,
    payment_total: '$ 0.00',
    payment_total_raw: 0,
    payment_currency: null,
    payment_product_names: 'Test Product',
    payment_date_created: '',
    payment_gateway: null,
    payment_invoice_url: `${NETWORK}/?action=invoice&reference=PEN8DJ8GKM`,
    payment_manage_url: `${ADMIN}wp-ultimo-edit-payment&id=0`,
  },
  membership: {
    membership_id: 0,
    membership_status: null,
    membership_reference_code: 'QG2P384NR3',
    membership_initial_amount: '$ 0.00',
    membership_initial_amount_raw: 0,
    membership_amount: '$ 0.00',
    membership_amount_raw: 0,
    membership_currency: null,
    membership_description: 'Free!',
    membership_gateway: null,
    membership_date_expiration: null,
    membership_manage_url: `${ADMIN}wp-ultimo-edit-membership&id=0`,
  },
  customer: {
    customer_id: 0,
    customer_name: 'John McMocked',
    customer_user_id: null,
    customer_user_email: 'mockeduser@dev.dev',
    customer_email_verification: null,
    customer_avatar: `<img alt='' src='${GRAVATAR}?s=40&#038;d=identicon&#038;r=g' srcset='${GRAVATAR}?s=80&#038;d=identicon&#038;r=g 2x' class='avatar avatar-40 photo wu-rounded-full wu-mr-3' height='40' width='40' decoding='async'/>`,
    customer_billing_address: 'Company Co.\ncompany@co.dev',
    customer_manage_url: `${ADMIN}wp-ultimo-edit-customer&id=0`,
  },
  site: {
    site_id: null,
    site_title: 'Example Site',
    site_description: 'This is an example of a site description.',
    site_url: 'https://examplesite.dev/',
    site_admin_url: `${NETWORK}/wp-admin/`,
    site_manage_url: `${ADMIN}wp-ultimo-edit-site&id=0`,
  },
  domain: {
    domain_id: 0,
    domain_domain: 'example.com',
    domain_site_id: 1,
    domain_stage: 'checking-dns',
    domain_active: 'true',
    domain_primary: 'true',
    domain_secure: 'true',
    domain_date_created: null,
    domain_manage_url: `${ADMIN}wp-ultimo-edit-domain&id=0`,
  },
  billing: {
    company_name: '',
    billing_email: '',
    billing_address_line_1: '',
    billing_address_line_2: '',
    billing_country: '',
    billing_state: '',
    billing_city: '',
    billing_zip_code: '',
  },
};
