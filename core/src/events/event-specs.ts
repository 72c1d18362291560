import type { FieldSpec } from './fields.js';
import type { BlockName, Delivery } from './types.js';

/**
 * The 23 events the plugin registers (2.5 development branch), as data. catalog.ts turns each into
 * an EventDefinition. Sources: reference/events.json and the plugin source (Event_Manager::
 * register_all_events, Signup_Metrics::register_event_types, Post_Signup_Activity_Manager::
 * register_event_types). Parts are listed in the order the registration merges them, which is
 * the key order of the payload.
 */

/** A key an event adds beside the blocks, with its realistic and its Send Test Event value. */
export interface OwnField extends FieldSpec {
  sample: unknown;
  plugin: unknown;
}

export type Part = BlockName | OwnField;

export interface EventSpec {
  id: string;
  name: string;
  since: string;
  delivery: Delivery;
  description: string;
  when: string;
  parts: readonly Part[];
  /** Blocks the live payload may leave out as a whole (their keys are then optional). */
  optionalBlocks?: readonly BlockName[];
  /** Realistic values that differ from the shared block samples (e.g. a pending payment). */
  sampleOverrides?: Readonly<Record<string, unknown>>;
  deprecatedArgs?: Readonly<Record<string, string | number>>;
  /** The live payload nests objects (demo_site_expiring); see demo-site.ts. */
  nestedLiveShape?: boolean;
}

const LOG_ONLY_NOTE =
  'The plugin only writes this to its event log, so a webhook receives it only from Send Test Event.';

/** Keeps the spec's literal key and kind: the event data types (event-data.ts) are read off them. */
function own<const S extends FieldSpec>(spec: S, sample: unknown, plugin: unknown): S & OwnField {
  return { ...spec, sample, plugin };
}

const SINCE_FIRST = '2.1.4'; // the earliest version the reference gives (events marked <=2.0 / 2.0.x)
const SINCE_MODELS = '2.1.4'; // Event_Manager::register_model_events
const SINCE_2412 = '2.4.12';
const SINCE_25 = '2.5.0';

const postFields = (
  sample: { id: number; title: string; type: string },
  plugin: { title: string; type: string },
) =>
  [
    own({ key: 'post_id', label: 'Post ID', kind: 'integer' }, sample.id, 1),
    own({ key: 'post_title', label: 'Post Title', kind: 'string' }, sample.title, plugin.title),
    own(
      { key: 'post_type', label: 'Post Type', kind: 'string', help: 'e.g. post, page, product' },
      sample.type,
      plugin.type,
    ),
    own({ key: 'post_status', label: 'Post Status', kind: 'string' }, 'publish', 'publish'),
    own({ key: 'post_author_id', label: 'Post Author User ID', kind: 'integer' }, 17, 1),
  ] as const;

export const eventSpecs = [
  {
    id: 'payment_received',
    name: 'Payment Received',
    since: SINCE_FIRST,
    delivery: 'webhook',
    description:
      'A payment gateway reported a payment for a membership. It fires for every payment the gateway processes, whatever the outcome, so check Payment Status before treating it as paid.',
    when: 'a payment gateway reports a payment for a membership',
    parts: ['payment', 'membership', 'customer'],
    // Payment_Manager::handle_payment_success (2.5): a payment without membership sends only the
    // payment block plus the customer block (when the payment has a customer).
    optionalBlocks: ['membership', 'customer'],
    deprecatedArgs: {
      user_id: 'customer_user_id',
      amount: 'payment_total',
      gateway: 'payment_gateway',
      status: 'payment_status',
      date: 'payment_date_created',
    },
  },
  {
    id: 'site_published',
    name: 'Site Published',
    since: SINCE_FIRST,
    delivery: 'webhook',
    description:
      "A customer's new site went live on the network: created automatically after signup and payment, or published by a network admin from a pending site.",
    when: "a customer's new site is published on the network",
    parts: ['site', 'customer', 'membership'],
  },
  {
    id: 'confirm_email_address',
    name: 'Email Verification Needed',
    since: SINCE_FIRST,
    delivery: 'webhook',
    description:
      'A customer has to confirm their email address: a new customer whose verification is pending, or a verification email being sent again. Verification Link is the link to send them.',
    when: 'a customer needs to verify their email address',
    parts: [
      own(
        {
          key: 'verification_link',
          label: 'Verification Link',
          kind: 'url',
          help: 'The link the customer opens to confirm their email address.',
        },
        'https://network.example.com/?email-verification-key=3f9c1e7a2b&customer=ZK4Q8W2M1P',
        'https://linktoverifyemail.com',
      ),
      'customer',
    ],
  },
  {
    id: 'domain_created',
    name: 'New Domain Mapping Added',
    since: SINCE_FIRST,
    delivery: 'webhook',
    description:
      'A customer added a custom domain to one of their sites. The domain usually starts at the checking-dns stage, so it is not live yet when this fires.',
    when: 'a customer adds a custom domain to their site',
    parts: ['domain', 'site', 'membership', 'customer'],
    // Verbatim from the registration: example values, not 1.x → 2.x names.
    deprecatedArgs: {
      user_id: 1,
      user_site_id: 1,
      mapped_domain: 'mydomain.com',
      user_site_url: 'http://test.mynetwork.com/',
      network_ip: '125.399.3.23',
    },
  },
  {
    id: 'renewal_payment_created',
    name: 'New Renewal Payment Created',
    since: SINCE_FIRST,
    delivery: 'webhook',
    description:
      'A renewal invoice was created for a membership that does not renew automatically, shortly before it expires or its trial ends. The membership is put on hold until the customer pays at the Default Payment URL.',
    when: 'a renewal payment is created for a membership that must be renewed by hand',
    parts: [
      own(
        {
          key: 'default_payment_url',
          label: 'Default Payment URL',
          kind: 'url',
          help: 'Where the customer pays the renewal.',
        },
        'https://network.example.com/register/?payment=PEN8DJ8GKM',
        'https://linktopayment.com',
      ),
      'payment',
      'membership',
      'customer',
    ],
    sampleOverrides: { payment_status: 'pending', membership_status: 'on-hold' },
  },
  {
    id: 'customer_created',
    name: 'Customer Created',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      'A new customer was saved for the first time, at signup or when a network admin adds one. Billing fields are only included when they are filled in.',
    when: 'a new customer is created',
    parts: ['customer', 'billing'],
  },
  {
    id: 'customer_updated',
    name: 'Customer Updated',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      'A customer was saved again. This also fires every time the customer logs in, because the plugin saves their last-login time, so expect many of these.',
    when: 'a customer is saved again, including at every login',
    parts: ['customer', 'billing'],
  },
  {
    id: 'membership_created',
    name: 'Membership Created',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      "A new membership (a customer's subscription to a plan) was saved for the first time. Billing fields are only included when they are filled in.",
    when: 'a new membership is created',
    parts: ['membership', 'customer', 'billing'],
  },
  {
    id: 'membership_updated',
    name: 'Membership Updated',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      'A membership was saved again, for example when its status, plan or expiration date changed. It fires on every save, even when nothing visible changed.',
    when: 'a membership is saved again, for example when its status changes',
    parts: ['membership', 'customer', 'billing'],
  },
  {
    id: 'payment_created',
    name: 'Payment Created',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      "A new payment record was saved for the first time, usually as pending before the customer pays. Billing fields come from the payment's membership and are only included when filled in.",
    when: 'a new payment record is created',
    parts: ['payment', 'membership', 'customer', 'billing'],
    sampleOverrides: { payment_status: 'pending' },
  },
  {
    id: 'payment_updated',
    name: 'Payment Updated',
    since: SINCE_MODELS,
    delivery: 'webhook',
    description:
      'A payment record was saved again, for example when it was completed, failed or refunded.',
    when: 'a payment record is saved again, for example when its status changes',
    parts: ['payment', 'membership', 'customer', 'billing'],
  },
  {
    id: 'invoice_sent',
    name: 'Invoice Sent',
    since: SINCE_2412,
    delivery: 'webhook',
    description:
      'A network admin sent (or re-sent) an invoice for a payment to the customer. Payment URL is the link to pay it; it is empty when the payment can no longer be paid.',
    when: 'a network admin sends an invoice to a customer',
    parts: [
      own(
        {
          key: 'payment_url',
          label: 'Payment URL',
          kind: 'url',
          help: 'Where the customer pays. The plugin sends false (output as empty) when the payment cannot be paid.',
        },
        'https://network.example.com/register/?payment=PEN8DJ8GKM&checkout_form=wu-pay-invoice',
        'https://linktopayment.com',
      ),
      own(
        { key: 'invoice_message', label: 'Invoice Message', kind: 'string' },
        'Please find your invoice for April attached.',
        'Example message to the customer.',
      ),
      'payment',
      'customer',
    ],
    sampleOverrides: { payment_status: 'pending' },
  },
  {
    id: 'payment_failed',
    name: 'Recurring Payment Failed',
    since: SINCE_2412,
    delivery: 'webhook',
    description:
      "Stripe or PayPal reported that an automatic renewal payment for the customer's subscription failed. Only the gateway is named; the payment details are not included.",
    when: 'an automatic renewal payment fails at Stripe or PayPal',
    parts: [
      'membership',
      'customer',
      own(
        {
          key: 'payment_gateway',
          label: 'Payment Gateway',
          kind: 'string',
          help: 'The gateway that reported the failure: stripe or paypal.',
        },
        'stripe',
        'stripe',
      ),
    ],
  },
  {
    id: 'membership_expired',
    name: 'Membership Expired',
    since: SINCE_2412,
    delivery: 'webhook',
    description:
      "A membership passed its expiration date (plus any grace period) and the plugin's scheduled check marked it as expired.",
    when: 'a membership expires',
    parts: ['membership', 'customer'],
    sampleOverrides: { membership_status: 'expired' },
  },
  {
    id: 'demo_site_expiring',
    name: 'Demo Site Expiring',
    since: SINCE_25,
    delivery: 'webhook',
    description:
      'A demo site will expire soon, within the warning window set in the plugin. An hourly check sends it once per site, and only when demo expiry notifications are turned on.',
    when: 'a demo site is about to expire',
    parts: [
      'site',
      'membership',
      'customer',
      own(
        {
          key: 'demo_expires_at',
          label: 'Demo Expires At',
          kind: 'datetime',
          help: 'When the demo site will be deleted, in UTC.',
        },
        '2026-04-05 18:00:00',
        // The registration of this event was not found in the indexed plugin source; its test
        // payload is derived from the reference (flat site + membership + customer blocks).
        '2026-01-01 12:00:00',
      ),
      own(
        {
          key: 'demo_time_remaining',
          label: 'Demo Time Remaining',
          kind: 'string',
          help: 'In words, e.g. "3 hours".',
        },
        '3 hours',
        '2 hours',
      ),
    ],
    sampleOverrides: {
      site_url: 'https://demo-janesbakery.network.example.com/',
      site_admin_url: 'https://demo-janesbakery.network.example.com/wp-admin/',
    },
    nestedLiveShape: true,
  },
  {
    id: 'checkout_started',
    name: 'Checkout Started',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A visitor opened a page with a checkout form (counted once per page load). ${LOG_ONLY_NOTE}`,
    when: 'a visitor opens a checkout page',
    parts: [
      own(
        { key: 'form_slug', label: 'Checkout Form', kind: 'string' },
        'main-form',
        'default-checkout',
      ),
      own(
        {
          key: 'user_id',
          label: 'User ID',
          kind: 'integer',
          help: 'The logged-in WordPress user, 0 for a visitor.',
        },
        0,
        0,
      ),
      own({ key: 'ip_address', label: 'IP Address', kind: 'string' }, '203.0.113.10', '127.0.0.1'),
      own({ key: 'referrer', label: 'Referrer', kind: 'url' }, 'https://www.google.com/', ''),
    ],
  },
  {
    id: 'checkout_step_completed',
    name: 'Checkout Step Completed',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A checkout form was submitted and the order was put together. ${LOG_ONLY_NOTE}`,
    when: 'a checkout form is submitted',
    parts: [
      'membership',
      'customer',
      own(
        {
          key: 'cart_type',
          label: 'Cart Type',
          kind: 'string',
          help: 'e.g. new, renewal, upgrade, downgrade or addon.',
        },
        'new',
        'new',
      ),
      own({ key: 'is_free', label: 'Is Free', kind: 'boolean' }, false, false),
    ],
  },
  {
    id: 'checkout_completed',
    name: 'Checkout Completed',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A checkout finished successfully with the payment gateway. ${LOG_ONLY_NOTE}`,
    when: 'a checkout completes successfully',
    parts: [
      'payment',
      'membership',
      'customer',
      own(
        {
          key: 'cart_type',
          label: 'Cart Type',
          kind: 'string',
          help: 'e.g. new, renewal, upgrade, downgrade or addon.',
        },
        'new',
        'new',
      ),
      own({ key: 'gateway', label: 'Gateway', kind: 'string' }, 'stripe', 'free'),
      own({ key: 'is_free', label: 'Is Free', kind: 'boolean' }, false, true),
    ],
  },
  {
    id: 'checkout_failed',
    name: 'Checkout Failed',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A checkout attempt stopped with validation or payment errors, for example an email address that is already in use. ${LOG_ONLY_NOTE}`,
    when: 'a checkout attempt fails',
    parts: [
      own(
        { key: 'error_codes', label: 'Error Codes', kind: 'json', help: 'A list of error codes.' },
        ['email_exists'],
        ['example_error'],
      ),
      own(
        {
          key: 'error_messages',
          label: 'Error Messages',
          kind: 'json',
          help: 'The message for each error code.',
        },
        { email_exists: 'That email address is already in use.' },
        { example_error: 'Example error message' },
      ),
      own(
        {
          key: 'user_id',
          label: 'User ID',
          kind: 'integer',
          help: 'The logged-in WordPress user, 0 for a visitor.',
        },
        0,
        0,
      ),
    ],
  },
  {
    id: 'subsite_post_created',
    name: 'Subsite Post Created',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A post or page was published for the first time on a customer's site that belongs to a membership. ${LOG_ONLY_NOTE}`,
    when: "a post or page is first published on a customer's site",
    parts: [
      ...postFields(
        { id: 58, title: 'Our new sourdough', type: 'post' },
        { title: 'Example Post', type: 'post' },
      ),
      'site',
      'membership',
    ],
  },
  {
    id: 'subsite_cpt_created',
    name: 'Subsite Custom Post Type Entry Created',
    since: SINCE_25,
    delivery: 'log-only',
    description: `An entry of a custom post type (anything but posts and pages, such as a WooCommerce product) was published for the first time on a customer's site. ${LOG_ONLY_NOTE}`,
    when: "a custom post type entry is first published on a customer's site",
    parts: [
      ...postFields(
        { id: 91, title: 'Rye loaf', type: 'product' },
        { title: 'Example CPT Entry', type: 'product' },
      ),
      'site',
      'membership',
    ],
  },
  {
    id: 'subsite_user_registered',
    name: 'Subsite User Registered',
    since: SINCE_25,
    delivery: 'log-only',
    description: `A user was added to a customer's site that belongs to a membership. ${LOG_ONLY_NOTE}`,
    when: "a user is added to a customer's site",
    parts: [
      own({ key: 'new_user_id', label: 'New User ID', kind: 'integer' }, 230, 1),
      own(
        { key: 'new_user_login', label: 'New User Login', kind: 'string' },
        'baker_bob',
        'example_user',
      ),
      own(
        { key: 'new_user_email', label: 'New User Email', kind: 'email' },
        'bob@example.com',
        'user@example.com',
      ),
      own({ key: 'new_user_role', label: 'New User Role', kind: 'string' }, 'editor', 'subscriber'),
      'site',
      'membership',
    ],
  },
  {
    id: 'subsite_woocommerce_order',
    name: 'Subsite WooCommerce Order Placed',
    since: SINCE_25,
    delivery: 'log-only',
    description: `WooCommerce created a new order on a customer's site that belongs to a membership. ${LOG_ONLY_NOTE}`,
    when: "a WooCommerce order is placed on a customer's site",
    parts: [
      own({ key: 'order_id', label: 'Order ID', kind: 'integer' }, 1045, 1),
      own(
        {
          key: 'order_total',
          label: 'Order Total (Number)',
          kind: 'number',
          help: 'Sent as text such as "54.90"; output as a number.',
        },
        '54.90',
        '99.00',
      ),
      own({ key: 'order_status', label: 'Order Status', kind: 'string' }, 'pending', 'pending'),
      own({ key: 'order_items', label: 'Order Item Count', kind: 'integer' }, 3, 1),
      'site',
      'membership',
    ],
  },
] as const satisfies readonly EventSpec[];
