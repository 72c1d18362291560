import {
  addMonth,
  DAY,
  endOfDay,
  HOUR,
  MINUTE,
  mysqlDate,
  SECOND,
  stripeExpiration,
} from './clock.js';
import { domainFacts, siteFacts } from './facts.js';
import type { PaymentState } from './facts.js';
import type { Timeline } from './timeline.js';

/**
 * The named scenarios. Which events fire, in which order, and what changes between them is read
 * from the plugin's source (Ultimate Multisite 2.4.x, and the 2.4.12/2.5 code for the events added
 * there); `sources` names the code, `open` says what the code leaves to settings, gateways or
 * people, and what the scenario assumes there.
 */
export interface ScenarioDefinition {
  name: string;
  title: string;
  /** One line, for lists. */
  summary: string;
  description: string;
  /** What the plugin's code leaves open, and what this scenario assumes. */
  open: readonly string[];
  /** Where in the plugin's code the sequence comes from. */
  sources: readonly string[];
  /** The events a run fires, in order. */
  events: readonly string[];
  play(timeline: Timeline): void;
}

const INVOICE_SOURCE =
  'inc/managers/class-payment-manager.php:93, 419-442 (invoice number given on completion, inside the save: BerlinDB Query::add_item()/update_item() → transition_item() fires wu_transition_payment_status before the save returns)';

const MODEL_EVENTS =
  'Event_Manager::dispatch_base_model_event (inc/managers/class-event-manager.php:529-541) fires <model>_created for a new row and <model>_updated for every later save() of a customer, membership or payment';

/**
 * Saving a payment whose status becomes completed fires two payment_updated: BerlinDB's
 * Query::update_item() runs wu_transition_payment_status inside the save, where
 * Payment_Manager::transition_payment_status() numbers the invoice and saves the payment again
 * (the nested save's event comes first); then the outer save finishes. Both carry the same
 * payload (the invoice number is not in it).
 */
function completedPaymentSaves(t: Timeline, payment: PaymentState, cause: string): void {
  t.emit(
    'payment_updated',
    `${INVOICE_NUMBERING} Its payment_updated comes first.`,
    t.facts(payment),
  );
  t.emit('payment_updated', `${cause} (the outer save).`, t.facts(payment));
}

const INVOICE_NUMBERING =
  'The status turns completed inside the save: BerlinDB fires wu_transition_payment_status, and Payment_Manager::transition_payment_status() gives the payment its invoice number and saves it again (inc/managers/class-payment-manager.php:93, 419-442).';

/** The signup's checkout: a new customer pays the first month by card (Stripe). */
function playSignup(t: Timeline): void {
  const { world } = t;
  t.customer = { verification: 'none', billingSaved: false };
  t.membership = { status: 'pending', gateway: 'stripe', expiration: endOfDay(t.now) };
  t.emit(
    'customer_created',
    'Checkout::maybe_create_customer() → wu_create_customer() saves the new customer (inc/checkout/class-checkout.php:1073, inc/functions/customer.php). No billing address yet, so no billing keys.',
    t.customerFacts(),
  );
  t.emit(
    'customer_updated',
    'Customer::update_last_login() saves the customer again (inc/checkout/class-checkout.php:1083, inc/models/class-customer.php:542-561).',
    t.customerFacts(),
  );
  t.advance(SECOND);
  t.customer = { ...t.customer, billingSaved: true };
  t.emit(
    'customer_updated',
    'The checkout saves the billing address on the customer (inc/checkout/class-checkout.php:1112): billing keys appear.',
    t.customerFacts(),
  );
  t.emit(
    'membership_created',
    'Checkout::maybe_create_membership() → wu_create_membership(): status pending, expiring at the end of the billing start day (inc/checkout/class-checkout.php:1239-1272).',
    t.facts(),
  );
  const first = t.newPayment(world.plan.amount + world.plan.setupFee, 'pending', 'stripe');
  t.emit(
    'payment_created',
    'Checkout::maybe_create_payment() → wu_create_payment(): a pending payment for the first month plus any setup fee (inc/checkout/class-checkout.php:1476-1549).',
    t.facts(first),
  );
  t.advance(6 * SECOND);
  first.status = 'completed';
  completedPaymentSaves(
    t,
    first,
    'Stripe_Gateway::process_checkout(): the charge succeeded, the payment is saved as completed (inc/gateways/class-stripe-gateway.php:596-605).',
  );
  t.emit(
    'payment_received',
    'Base_Gateway::trigger_payment_processed() → wu_gateway_payment_processed → Payment_Manager::handle_payment_success() (inc/gateways/class-stripe-gateway.php:607, inc/managers/class-payment-manager.php:91, 105-115).',
    t.facts(first),
  );
  t.advance(SECOND);
  t.membership = {
    status: 'active',
    gateway: 'stripe',
    expiration: stripeExpiration(addMonth(world.start)),
  };
  t.emit(
    'membership_updated',
    'Membership::renew(true, active, <end of the Stripe period>) saves the membership (inc/gateways/class-stripe-gateway.php:610-635, inc/models/class-membership.php:2160-2220).',
    t.facts(),
  );
  t.advance(20 * SECOND);
  t.emit(
    'site_published',
    'pending → active runs Membership_Manager::transition_membership_status() → publish_pending_site_async(); the published site fires wu_pending_site_published → Site_Manager::handle_site_published() (inc/managers/class-membership-manager.php:249-275, inc/models/class-membership.php:2036, inc/managers/class-site-manager.php:82, 250-259).',
    { ...t.facts(), ...siteFacts(world) },
  );
}

/**
 * The state the signup of the same seed leaves behind, for scenarios later in the customer's life:
 * the signup is played silently, so payment ids and codes go on from where it stopped.
 */
function afterSignup(t: Timeline): void {
  playSignup(t);
  t.steps.length = 0;
}

function playRenewal(t: Timeline): void {
  afterSignup(t);
  const { world } = t;
  // Stripe charges at the end of the period and sends charge.succeeded moments later.
  t.until(addMonth(world.start) + HOUR);
  const renewal = t.newPayment(world.plan.amount, 'completed', 'stripe');
  t.emit(
    'payment_updated',
    `${INVOICE_NUMBERING} A payment created as completed transitions from "new" while it is inserted, so this payment_updated comes before its payment_created.`,
    t.facts(renewal),
  );
  t.emit(
    'payment_created',
    'Base_Stripe_Gateway::process_webhooks() on charge.succeeded: no pending payment, so wu_create_payment() saves a new completed renewal payment (inc/gateways/class-base-stripe-gateway.php:2101-2108, 2204-2262).',
    t.facts(renewal),
  );
  t.membership = {
    ...t.membership,
    expiration: stripeExpiration(addMonth(addMonth(world.start))),
  };
  t.emit(
    'membership_updated',
    'Membership::renew() moves the expiration to the end of the new Stripe period (inc/gateways/class-base-stripe-gateway.php:2317-2318).',
    t.facts(),
  );
  t.emit(
    'payment_updated',
    'The renewal payment is saved again before the gateway reports it; nothing visible changes (inc/gateways/class-base-stripe-gateway.php:2325).',
    t.facts(renewal),
  );
  t.emit(
    'payment_received',
    'trigger_payment_processed() → Payment_Manager::handle_payment_success() (inc/gateways/class-base-stripe-gateway.php:2330, inc/managers/class-payment-manager.php:105-115).',
    t.facts(renewal),
  );
}

function playFailedRenewal(t: Timeline): void {
  afterSignup(t);
  const { world } = t;
  const expiration = t.membership.expiration!;
  const gateway = { payment_gateway: 'stripe' };
  t.until(addMonth(world.start) + HOUR);
  t.emit(
    'payment_failed',
    'Stripe sends invoice.payment_failed for the subscription: Base_Stripe_Gateway::process_webhooks() runs wu_recurring_payment_failed (inc/gateways/class-base-stripe-gateway.php:2379-2385), which 2.4.12+ turns into payment_failed. The membership is not changed.',
    t.facts(undefined, gateway),
  );
  t.advance(2 * DAY);
  t.emit(
    'payment_failed',
    "Stripe's automatic retry fails too (the same path again).",
    t.facts(undefined, gateway),
  );
  t.advance(5 * HOUR);
  t.membership = { ...t.membership, gateway: '' };
  t.emit(
    'membership_updated',
    'The customer removes the failing payment method from their account: Site_Actions_Element::handle_cancel_payment_method() clears the gateway, turns automatic renewal off and saves (inc/ui/class-site-actions-element.php:930-958); the gateway change cancels the Stripe subscription, so Stripe stops retrying.',
    t.facts(),
  );
  // The hourly membership check picks it up once the expiration is 3 grace days behind.
  const due = expiration + 3 * DAY;
  t.until(Math.ceil(due / HOUR) * HOUR);
  t.membership = { ...t.membership, status: 'expired' };
  t.emit(
    'membership_updated',
    'Cron::membership_expired_check() (hourly, auto_renew off, status active or on-hold, expired more than wu_membership_grace_period_days = 3 days ago) queues async_mark_membership_as_expired(), which saves the status expired (inc/class-cron.php:287-330).',
    t.facts(),
  );
  t.emit(
    'membership_expired',
    'The same handler fires membership_expired after the save succeeded (inc/class-cron.php async_mark_membership_as_expired, 2.4.12+).',
    t.facts(),
  );
}

function playManualRenewal(t: Timeline): void {
  afterSignup(t);
  const { world } = t;
  const expiration = t.membership.expiration!;
  t.until(world.start + 20 * DAY + 4 * HOUR);
  t.membership = { ...t.membership, gateway: '' };
  t.emit(
    'membership_updated',
    'The customer removes their card: Site_Actions_Element::handle_cancel_payment_method() clears the gateway, turns automatic renewal off and saves (inc/ui/class-site-actions-element.php:930-958).',
    t.facts(),
  );
  // The hourly check picks memberships expiring within 3 days (and not before yesterday).
  t.until(Math.ceil((expiration - 3 * DAY) / HOUR) * HOUR);
  const renewal = t.newPayment(world.plan.amount, 'pending', '');
  t.emit(
    'payment_created',
    'Cron::membership_renewal_check() (hourly: auto_renew off, active, expiring within wu_membership_renewal_days_before_expiring = 3 days) queues async_create_renewal_payment(); wu_membership_create_new_payment() saves a pending payment for the recurring amount, setup fee removed (inc/class-cron.php:134-170, 228-262, inc/functions/membership.php:288-340).',
    t.facts(renewal),
  );
  t.membership = { ...t.membership, status: 'on-hold' };
  t.emit(
    'membership_updated',
    'The same job puts the membership on hold and saves it (inc/class-cron.php:254-258).',
    t.facts(),
  );
  t.emit(
    'renewal_payment_created',
    "Then it fires renewal_payment_created with the link to pay: the registration page with ?payment=<the payment's hash> (inc/class-cron.php:260-273).",
    t.facts(renewal, {
      default_payment_url: `${world.network}/register/?payment=${renewal.reference}`,
    }),
  );
}

function playCustomDomain(t: Timeline): void {
  afterSignup(t);
  t.until(t.world.start + 2 * DAY + 3 * HOUR);
  t.emit(
    'domain_created',
    "The customer adds a domain in their site's account page: Domain_Mapping_Element::handle_user_add_new_domain_modal() → wu_create_domain() (stage checking-dns, active, not secure) → wu_domain_created → Domain_Manager::handle_domain_created() (inc/ui/class-domain-mapping-element.php:395-436, inc/managers/class-domain-manager.php:161, 300-309).",
    { ...t.facts(), ...siteFacts(t.world), ...domainFacts(t.world, t.now) },
  );
}

/** WordPress's human_time_diff(): minutes below an hour, hours below a day, then days. */
function humanTimeDiff(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (ms < HOUR) return unit(Math.max(1, Math.round(ms / MINUTE)), 'min');
  if (ms < DAY) return unit(Math.max(1, Math.round(ms / HOUR)), 'hour');
  return unit(Math.max(1, Math.round(ms / DAY)), 'day');
}

function playDemoExpiry(t: Timeline): void {
  const { world } = t;
  const registered = world.start;
  const expires = registered + 2 * DAY;
  const warning = 24 * HOUR;
  // The hourly check runs on the hour; the first run inside the warning window sends it.
  t.until(Math.ceil((expires - warning) / HOUR) * HOUR);
  const url = `https://demo-${world.site.slug}.${new URL(world.network).host}/`;
  const plan = world.plan;
  const membership = world.membership;
  const customer = world.customer;
  // to_array() is get_object_vars() of models loaded from the database: ids and amounts as the
  // columns give them (strings), the site's own id as an int.
  t.emitRaw(
    'demo_site_expiring',
    'Site_Manager::check_expiring_demo_sites() (hourly, 2.5): for each demo site inside the warning window, not notified yet, with a customer, it sends the nested live shape and marks the site notified (wu_demo_expiring_notified).',
    {
      site: {
        id: world.site.id,
        blog_id: String(world.site.id),
        title: world.site.title,
        description: world.site.description,
        domain: new URL(url).host,
        path: '/',
        type: 'demo',
        registered: mysqlDate(registered),
        customer_id: String(customer.id),
        membership_id: String(membership.id),
      },
      membership: {
        id: String(membership.id),
        customer_id: String(customer.id),
        plan_id: String(plan.id),
        status: 'active',
        currency: world.currency.code,
        initial_amount: (plan.amount + plan.setupFee).toFixed(8),
        amount: plan.amount.toFixed(8),
        gateway: 'stripe',
        date_expiration: mysqlDate(expires),
      },
      customer: {
        id: String(customer.id),
        user_id: String(customer.userId),
        email_verification: 'verified',
        type: 'customer',
        last_login: mysqlDate(registered),
        _user: null,
      },
      demo_expires_at: mysqlDate(expires),
      demo_time_remaining: humanTimeDiff(expires - t.now),
      site_admin_url: `${url}wp-admin/`,
      site_url: url,
      wu_version: '2.5.0',
    },
  );
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function playInvoice(t: Timeline): void {
  afterSignup(t);
  const { world } = t;
  t.until(world.start + 10 * DAY + 2 * HOUR);
  const invoice = t.newPayment(world.plan.amount, 'pending', '');
  t.emit(
    'payment_created',
    "A network admin adds a payment with 'send invoice' checked: wu_create_payment() saves it as pending (the payment admin page's add-payment handler).",
    t.facts(invoice),
  );
  const payUrl = `${world.network}/register/?payment=${invoice.reference}&checkout_form=wu-pay-invoice`;
  const month = MONTHS[new Date(t.now).getUTCMonth()]!;
  t.emit(
    'invoice_sent',
    "The same handler then fires invoice_sent with Payment::get_payment_url() and the admin's message (2.4.12+).",
    {
      ...t.customerFacts(),
      ...t.paymentFacts(invoice),
      payment_url: payUrl,
      invoice_message: `Here is your invoice for ${month}. Thank you!`,
    },
  );
  t.advance(26 * HOUR + 17 * MINUTE);
  invoice.status = 'completed';
  invoice.gateway = 'stripe';
  completedPaymentSaves(
    t,
    invoice,
    'The customer pays at the payment URL by card: Stripe_Gateway::process_checkout() saves the payment as completed (inc/gateways/class-stripe-gateway.php:596-605)',
  );
  t.emit(
    'payment_received',
    'trigger_payment_processed() → Payment_Manager::handle_payment_success() (inc/managers/class-payment-manager.php:105-115).',
    t.facts(invoice),
  );
}

export const scenarios: readonly ScenarioDefinition[] = [
  {
    name: 'signup',
    title: 'Signup with a paid plan',
    summary:
      'A new customer signs up and pays the first month by card: customer, membership, payment, site.',
    description:
      'A visitor completes the checkout form for a monthly plan and pays with Stripe. The checkout saves the customer (then again for the login time and the billing address), creates a pending membership and a pending payment, Stripe confirms the charge, the payment is completed (saved twice: the invoice number is given inside the save, so payment_updated comes twice with the same payload) and received, the membership becomes active until the end of the Stripe period, and the pending site is published.',
    open: [
      'Email verification is the default setting (free plans only), so a paying customer gets "none" and no confirm_email_address event; with verification on for everyone, confirm_email_address would follow customer_created and the site would wait for the confirmation.',
      'The gateway is Stripe with an immediate charge; other gateways (PayPal, manual) complete the payment later or by hand.',
      'Publishing runs as a background job (or synchronously with force_publish_sites_sync): the delay before site_published depends on the server.',
      'The catalog keeps site_published keys in the order site, customer, membership; this plugin version merges site, membership, customer (inc/managers/class-site-manager.php:253-257). The key set is the same.',
    ],
    sources: [
      'inc/checkout/class-checkout.php:685-940 process_order()',
      MODEL_EVENTS,
      'inc/gateways/class-stripe-gateway.php:590-640',
      'inc/managers/class-payment-manager.php:91-115',
      INVOICE_SOURCE,
      'inc/managers/class-membership-manager.php:249-275',
      'inc/managers/class-site-manager.php:82, 250-259',
    ],
    events: [
      'customer_created',
      'customer_updated',
      'customer_updated',
      'membership_created',
      'payment_created',
      'payment_updated',
      'payment_updated',
      'payment_received',
      'membership_updated',
      'site_published',
    ],
    play: playSignup,
  },
  {
    name: 'renewal',
    title: 'Automatic renewal',
    summary:
      'A month after signup Stripe charges the subscription: a new payment, a longer membership.',
    description:
      'The Stripe subscription renews at the end of the period. The charge.succeeded webhook creates a completed renewal payment (its invoice numbering saves it once more while it is inserted, so a payment_updated comes before its payment_created), renews the membership to the end of the new period, saves the payment again and reports it as received.',
    open: [
      'When Stripe sends the webhook after the period ends is up to Stripe (here one hour).',
      'Memberships without automatic renewal (manual gateway) renew differently: the hourly check creates a pending payment and renewal_payment_created instead.',
    ],
    sources: ['inc/gateways/class-base-stripe-gateway.php:2101-2330', INVOICE_SOURCE, MODEL_EVENTS],
    events: [
      'payment_updated',
      'payment_created',
      'membership_updated',
      'payment_updated',
      'payment_received',
    ],
    play: playRenewal,
  },
  {
    name: 'failed-renewal',
    title: 'Failed renewal until the membership expires',
    summary:
      'The renewal charge fails twice, the customer removes the card, and the membership expires after the grace period.',
    description:
      'Stripe cannot charge the renewal (payment_failed), retries and fails again. The customer removes the payment method, which turns automatic renewal off. Three days after the expiration date the hourly membership check marks the membership expired: it is saved (membership_updated) and membership_expired fires.',
    open: [
      "payment_failed carries no payment block: the plugin names only the gateway. So both payment_failed payloads are identical (no attempt count, no date): a receiver that deduplicates by content, like the Zapier app's item ids, sees one.",
      "How many times Stripe retries, and when, is Stripe's setting (Smart Retries); here once, two days later.",
      'The plugin only expires memberships that no longer renew automatically (Cron::membership_expired_check queries auto_renew = false). This scenario gets there by the customer removing the payment method; with Stripe set to cancel the subscription after the last retry, customer.subscription.deleted cancels the membership instead (membership_updated with status cancelled) and membership_expired never fires.',
      'The grace period is the wu_membership_grace_period_days filter, 3 days by default.',
    ],
    sources: [
      'inc/gateways/class-base-stripe-gateway.php:2379-2390',
      'inc/ui/class-site-actions-element.php:930-958',
      'inc/class-cron.php:287-330',
      MODEL_EVENTS,
    ],
    events: [
      'payment_failed',
      'payment_failed',
      'membership_updated',
      'membership_updated',
      'membership_expired',
    ],
    play: playFailedRenewal,
  },
  {
    name: 'manual-renewal',
    title: 'Renewal by hand',
    summary:
      'The customer turns automatic renewal off; before the expiration the plugin creates a renewal payment to pay by hand.',
    description:
      'Three weeks after signup the customer removes their card, which turns automatic renewal off. Three days before the membership expires, the hourly check creates a pending renewal payment, puts the membership on hold and fires renewal_payment_created with the link where the customer pays.',
    open: [
      'Memberships on a manual gateway (bank transfer) get here without the first step.',
      'Paying the renewal is left out: what the checkout does with the pending payment depends on the gateway the customer chooses.',
      'The 3 days are the wu_membership_renewal_days_before_expiring filter; trials get the same from membership_trial_check 3 hours after the trial ends.',
    ],
    sources: [
      'inc/ui/class-site-actions-element.php:930-958',
      'inc/class-cron.php:134-170, 228-275',
      'inc/functions/membership.php:288-340',
      MODEL_EVENTS,
    ],
    events: [
      'membership_updated',
      'payment_created',
      'membership_updated',
      'renewal_payment_created',
    ],
    play: playManualRenewal,
  },
  {
    name: 'custom-domain',
    title: 'Custom domain added',
    summary: 'Two days after signup the customer maps their own domain to the site.',
    description:
      "The customer adds a domain in their site's account page. The domain is created at the checking-dns stage and domain_created fires with the domain, the site, the membership and the customer.",
    open: [
      'The DNS and certificate checks that follow (checking-dns → checking-ssl-cert → done) fire no webhook: domains register no model events in this version.',
      'A domain added by a network admin in the admin pages fires no domain_created; only the customer-facing form does (the only wu_domain_created in the code).',
      "Whether the domain becomes primary is the customer's choice; here it does.",
    ],
    sources: [
      'inc/ui/class-domain-mapping-element.php:395-436',
      'inc/managers/class-domain-manager.php:161, 300-309',
      'inc/models/class-domain.php:48-76 (defaults)',
    ],
    events: ['domain_created'],
    play: playCustomDomain,
  },
  {
    name: 'demo-expiry',
    title: 'Demo site about to expire',
    summary: 'A demo site enters its warning window: demo_site_expiring in the nested live shape.',
    description:
      "A demo site expires two days after it was created. The hourly check sends demo_site_expiring once, at the first run inside the warning window, with the nested live shape: the site, membership and customer as their models' raw arrays, plus the expiry time and the time remaining in words.",
    open: [
      'The demo lifetime and the warning window are settings; here 2 days and 24 hours.',
      'The customer array has _user null (the plugin only fills it when something injected the WordPress user), so the customer name and email are not in this payload.',
      'Deleting the demo site afterwards fires no webhook.',
    ],
    sources: ['inc/managers/class-site-manager.php check_expiring_demo_sites() (2.5 branch)'],
    events: ['demo_site_expiring'],
    play: playDemoExpiry,
  },
  {
    name: 'invoice',
    title: 'Invoice sent and paid',
    summary: 'A network admin sends an invoice; the customer pays it by card the next day.',
    description:
      'A network admin adds a pending payment for the customer with the invoice notification on: payment_created, then invoice_sent with the link to pay. The next day the customer pays by card: the payment is completed (payment_updated twice: the invoice number is given inside the save) and received (payment_received).',
    open: [
      'When and how the customer pays is up to them; here by card with Stripe a day later.',
      'What paying the invoice does to the membership depends on the checkout cart and is left out.',
    ],
    sources: [
      "payment admin page add-payment handler (2.4.12+): wu_create_payment() then wu_do_event('invoice_sent')",
      'inc/gateways/class-stripe-gateway.php:596-607',
      INVOICE_SOURCE,
      MODEL_EVENTS,
    ],
    events: [
      'payment_created',
      'invoice_sent',
      'payment_updated',
      'payment_updated',
      'payment_received',
    ],
    play: playInvoice,
  },
];
