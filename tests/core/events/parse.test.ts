import { describe, expect, it } from 'vitest';
import { getEvent, parsePayload, type PayloadIssue } from '@umhooks/core';
import { BILLING_KEYS, fixture, withoutKeys } from './fixture.js';

const example = (id: string): Record<string, unknown> => ({ ...fixture(id).payload_example });

const errorsOf = (issues: PayloadIssue[]): PayloadIssue[] =>
  issues.filter((i) => i.severity === 'error');

describe('real-world variants normalize', () => {
  const variants: {
    name: string;
    event: string;
    body: Record<string, unknown>;
    expect: Record<string, unknown>;
  }[] = [
    {
      name: 'ids and _raw amounts as numeric strings (loaded from the database)',
      event: 'payment_received',
      body: {
        ...example('payment_received'),
        payment_id: '103',
        membership_id: ' 7 ',
        customer_id: '42',
        customer_user_id: '17',
        payment_total_raw: '29.00000000',
        payment_subtotal_raw: '29',
        payment_tax_total_raw: '0.5',
        membership_amount_raw: '29.0',
      },
      expect: {
        payment_id: 103,
        membership_id: 7,
        customer_id: 42,
        customer_user_id: 17,
        payment_total_raw: 29,
        payment_subtotal_raw: 29,
        payment_tax_total_raw: 0.5,
        membership_amount_raw: 29,
      },
    },
    {
      name: 'ids and amounts as real numbers stay numbers',
      event: 'payment_created',
      body: example('payment_created'),
      expect: { payment_id: 103, payment_total_raw: 29, membership_initial_amount_raw: 29 },
    },
    {
      name: 'domain booleans as "true"/"false" strings',
      event: 'domain_created',
      body: { ...example('domain_created'), domain_active: 'true', domain_primary: 'false' },
      expect: { domain_active: true, domain_primary: false, domain_secure: false },
    },
    {
      name: 'domain booleans as real booleans and "1"/"0"',
      event: 'domain_created',
      body: {
        ...example('domain_created'),
        domain_active: false,
        domain_primary: '1',
        domain_secure: '0',
      },
      expect: { domain_active: false, domain_primary: true, domain_secure: false },
    },
    {
      name: 'dates become ISO 8601 in UTC',
      event: 'domain_created',
      body: example('domain_created'),
      expect: {
        domain_date_created: '2026-04-01T12:00:00Z',
        membership_date_expiration: '2026-05-01T00:00:00Z',
      },
    },
    {
      name: 'leap days, and dates without a time',
      event: 'payment_updated',
      body: {
        ...example('payment_updated'),
        payment_date_created: '2024-02-29 23:59:59',
        membership_date_expiration: '2000-02-29',
      },
      expect: {
        payment_date_created: '2024-02-29T23:59:59Z',
        membership_date_expiration: '2000-02-29T00:00:00Z',
      },
    },
    {
      name: 'null expiration date (lifetime membership)',
      event: 'membership_updated',
      body: { ...example('membership_updated'), membership_date_expiration: null },
      expect: { membership_date_expiration: null },
    },
    {
      name: 'empty and MySQL zero dates',
      event: 'payment_updated',
      body: {
        ...example('payment_updated'),
        payment_date_created: '',
        membership_date_expiration: '0000-00-00 00:00:00',
      },
      expect: { payment_date_created: null, membership_date_expiration: null },
    },
    {
      name: 'live payload without empty billing keys',
      event: 'customer_updated',
      body: withoutKeys(example('customer_updated'), (k) =>
        ['billing_address_line_2', 'billing_state', 'company_name'].includes(k),
      ),
      expect: { billing_city: 'New York', billing_country: 'US' },
    },
    {
      name: 'invoice_sent with payment_url false (payment not payable)',
      event: 'invoice_sent',
      body: { ...example('invoice_sent'), payment_url: false },
      expect: {
        payment_url: null,
        invoice_message: 'Please find your invoice for April attached.',
      },
    },
    {
      name: 'null statuses and ids of a test event',
      event: 'customer_created',
      body: getEvent('customer_created')!.pluginSample as Record<string, unknown>,
      expect: { customer_id: 0, customer_user_id: null, customer_email_verification: null },
    },
    {
      name: 'unknown extra keys from add-ons are kept unchanged',
      event: 'site_published',
      body: { ...example('site_published'), addon_flag: 'on', addon_meta: { tier: [1, 2] } },
      expect: { addon_flag: 'on', addon_meta: { tier: [1, 2] }, wu_version: '2.4.12' },
    },
    {
      name: 'WooCommerce order total sent as text',
      event: 'subsite_woocommerce_order',
      body: example('subsite_woocommerce_order'),
      expect: { order_total: 54.9, order_items: 3, order_id: 1045 },
    },
    {
      name: 'checkout error messages as PHP empty array',
      event: 'checkout_failed',
      body: { ...example('checkout_failed'), error_messages: [] },
      expect: { error_messages: [], error_codes: ['email_exists'] },
    },
    {
      name: 'is_free as "1"',
      event: 'checkout_step_completed',
      body: { ...example('checkout_step_completed'), is_free: '1' },
      expect: { is_free: true },
    },
    {
      name: 'payment_received for a payment without membership (2.5: payment + customer only)',
      event: 'payment_received',
      body: withoutKeys(example('payment_received'), (k) => k.startsWith('membership_')),
      expect: { payment_id: 103, customer_id: 42 },
    },
  ];

  it.each(variants.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    const result = parsePayload(variant.event, variant.body);
    expect(errorsOf(result.issues)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject(variant.expect);
  });

  it('keeps every key of the body, wu_version included', () => {
    const body = { ...example('payment_received'), zz_addon: 1 };
    const result = parsePayload('payment_received', body);
    expect(Object.keys(result.data!).sort()).toEqual(Object.keys(body).sort());
  });

  it('does not add absent optional billing keys', () => {
    const body = withoutKeys(example('membership_created'), (k) => BILLING_KEYS.includes(k));
    const data = parsePayload('membership_created', body).data!;
    for (const key of BILLING_KEYS) expect(key in data).toBe(false);
  });

  it('returns data that does not share objects with the input or frozen samples', () => {
    const sample = getEvent('checkout_failed')!.sample;
    const data = parsePayload('checkout_failed', sample).data!;
    (data.error_codes as string[]).push('another');
    expect(sample.error_codes).toEqual(['email_exists']);
  });

  it('accepts a status newer than the documented ones with a warning', () => {
    const result = parsePayload('membership_updated', {
      ...example('membership_updated'),
      membership_status: 'paused',
    });
    expect(result.ok).toBe(true);
    expect(result.data?.membership_status).toBe('paused');
    expect(result.issues).toEqual([
      expect.objectContaining({ path: 'membership_status', code: 'value', severity: 'warning' }),
    ]);
    expect(result.issues[0]!.message).toContain('"paused"');
  });

  it('accepts an undocumented domain stage and verification state with warnings', () => {
    const result = parsePayload('domain_created', {
      ...example('domain_created'),
      domain_stage: 'checking-registrar',
      customer_email_verification: 'bounced',
    });
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => [i.path, i.severity])).toEqual([
      ['domain_stage', 'warning'],
      ['customer_email_verification', 'warning'],
    ]);
  });
});

describe('the nested live shape of demo_site_expiring', () => {
  const nested = {
    site: {
      id: 12,
      blog_id: '12',
      title: "Jane's Bakery",
      description: 'Fresh bread daily',
      domain: 'demo-janesbakery.network.example.com',
      path: '/',
      type: 'demo',
      customer_id: '42',
      membership_id: '7',
    },
    membership: {
      id: '7',
      customer_id: '42',
      plan_id: '3',
      status: 'active',
      currency: 'USD',
      initial_amount: '29.00000000',
      amount: 29.0,
      gateway: 'stripe',
      date_expiration: '2026-05-01 00:00:00',
    },
    customer: {
      id: '42',
      user_id: '17',
      email_verification: 'verified',
      type: 'customer',
      _user: null,
    },
    demo_expires_at: '2026-04-05 18:00:00',
    demo_time_remaining: '3 hours',
    site_admin_url: 'https://demo-janesbakery.network.example.com/wp-admin/',
    site_url: 'https://demo-janesbakery.network.example.com/',
    wu_version: '2.5.0',
  };

  it('normalizes into the flat keys of the sample and keeps the nested objects', () => {
    const result = parsePayload('demo_site_expiring', nested);
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({
      site_id: 12,
      site_title: "Jane's Bakery",
      site_url: 'https://demo-janesbakery.network.example.com/',
      membership_id: 7,
      membership_status: 'active',
      membership_initial_amount_raw: 29,
      membership_amount_raw: 29,
      membership_currency: 'USD',
      membership_date_expiration: '2026-05-01T00:00:00Z',
      customer_id: 42,
      customer_user_id: 17,
      customer_email_verification: 'verified',
      demo_expires_at: '2026-04-05T18:00:00Z',
      demo_time_remaining: '3 hours',
      wu_version: '2.5.0',
      site: nested.site,
      membership: nested.membership,
      customer: nested.customer,
    });
    // Same output shape as the flat sample, so Zapier fields are the same either way.
    const flat = parsePayload('demo_site_expiring', getEvent('demo_site_expiring')!.sample).data!;
    for (const key of Object.keys(flat)) expect(result.data).toHaveProperty(key);
  });

  it('reports the flat fields the nested payload cannot carry, as one warning', () => {
    const result = parsePayload('demo_site_expiring', nested);
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(issue).toMatchObject({ severity: 'warning', code: 'missing', path: '' });
    expect(issue!.message).toContain('customer_name');
    expect(issue!.message).toContain('membership_reference_code');
    expect(issue!.message).not.toContain('customer_id');
    expect(result.data?.customer_name).toBeNull();
  });

  it('uses the injected WordPress user when the customer carries one', () => {
    const result = parsePayload('demo_site_expiring', {
      ...nested,
      customer: {
        ...nested.customer,
        _user: { data: { display_name: 'Jane Doe', user_email: 'jane@example.com' } },
      },
    });
    expect(result.data).toMatchObject({
      customer_name: 'Jane Doe',
      customer_user_email: 'jane@example.com',
    });
  });

  it('accepts a site without membership ([] in PHP)', () => {
    const result = parsePayload('demo_site_expiring', { ...nested, membership: [] });
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({
      membership_id: null,
      membership_status: null,
      membership: [],
    });
    expect(result.issues[0]!.message).toContain('membership_id');
  });

  it('still reports broken nested values by their flat name', () => {
    const result = parsePayload('demo_site_expiring', {
      ...nested,
      customer: { ...nested.customer, id: 'abc' },
    });
    expect(result.ok).toBe(false);
    expect(errorsOf(result.issues)).toEqual([
      expect.objectContaining({ path: 'customer_id', code: 'type' }),
    ]);
  });
});

describe('broken payloads are reported in plain words', () => {
  it('names a field that cannot be a number', () => {
    const result = parsePayload('payment_received', {
      ...example('payment_received'),
      payment_total_raw: 'abc',
    });
    expect(result.ok).toBe(false);
    expect(result.data).toBeUndefined();
    expect(result.issues).toEqual([
      {
        path: 'payment_total_raw',
        code: 'type',
        severity: 'error',
        message: 'payment_total_raw should be a number, got "abc"',
      },
    ]);
  });

  it.each([
    ['customer_id', 'abc', 'should be a whole number'],
    ['customer_id', 4.5, 'should be a whole number'],
    ['customer_name', { first: 'Jane' }, 'should be text, got an object'],
    ['customer_user_email', ['a@b.c'], 'should be text, got a list'],
    ['membership_amount_raw', '$ 29.00', 'should be a number, got "$ 29.00"'],
    ['membership_date_expiration', 'next month', 'should be a date'],
    ['membership_date_expiration', '2026-02-30 10:00:00', 'should be a real calendar date'],
    ['membership_date_expiration', '2025-02-29 10:00:00', 'should be a real calendar date'],
    ['membership_date_expiration', '1900-02-29', 'should be a real calendar date'],
    ['membership_date_expiration', '2026-04-31', 'should be a real calendar date'],
    ['membership_date_expiration', '2026-05-01 24:00:00', 'should be a real calendar date'],
    ['membership_date_expiration', '2026-05-01 10:60', 'should be a real calendar date'],
    ['membership_date_expiration', '0099-05-01 10:00:00', 'should be a real calendar date'],
    ['membership_date_expiration', 1746057600, 'should be a date'],
  ])('%s = %j', (key, value, message) => {
    const result = parsePayload('membership_expired', {
      ...example('membership_expired'),
      [key]: value,
    });
    expect(result.ok).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path: key, code: 'type', severity: 'error' });
    expect(result.issues[0]!.message).toContain(`${key} ${message}`);
  });

  it('names a broken boolean', () => {
    const result = parsePayload('domain_created', {
      ...example('domain_created'),
      domain_secure: 'maybe',
    });
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'domain_secure',
        message: 'domain_secure should be true or false, got "maybe"',
      }),
    ]);
  });

  it('lists every field of a missing required block', () => {
    const body = withoutKeys(example('membership_created'), (k) => k.startsWith('customer_'));
    const result = parsePayload('membership_created', body);
    expect(result.ok).toBe(false);
    const customerKeys = Object.keys(example('membership_created')).filter((k) =>
      k.startsWith('customer_'),
    );
    expect(result.issues.map((i) => i.path)).toEqual(customerKeys);
    for (const issue of result.issues) {
      expect(issue.code).toBe('missing');
      expect(issue.message).toBe(
        `${issue.path} is missing: membership_created always sends this field.`,
      );
    }
  });

  it('reports a missing own field', () => {
    const result = parsePayload(
      'confirm_email_address',
      withoutKeys(example('confirm_email_address'), (k) => k === 'verification_link'),
    );
    expect(result.issues).toEqual([
      expect.objectContaining({ path: 'verification_link', code: 'missing', severity: 'error' }),
    ]);
  });

  it('reports the payment block missing from payment_received', () => {
    const body = withoutKeys(example('payment_received'), (k) => k.startsWith('payment_'));
    const result = parsePayload('payment_received', body);
    expect(result.ok).toBe(false);
    expect(result.issues.filter((i) => i.code === 'missing')).toHaveLength(15);
  });

  it.each([
    ['a string', '{"payment_id":1}', '"{\\"payment_id\\":1}"'],
    ['an array', [{ payment_id: 1 }], 'a list'],
    ['null', null, 'null'],
    ['a number', 42, '42'],
    ['nothing', undefined, 'nothing'],
  ])('rejects %s as the body', (_what, body, shown) => {
    const result = parsePayload('payment_received', body);
    expect(result.ok).toBe(false);
    expect(result.data).toBeUndefined();
    expect(result.issues).toEqual([
      {
        path: '',
        code: 'not_object',
        severity: 'error',
        message: `payment_received sends a JSON object of fields, got ${shown}.`,
      },
    ]);
  });
});

describe('unknown (add-on) event ids', () => {
  it('keeps every key and normalizes the ones known from the blocks', () => {
    const body = {
      customer_id: '42',
      payment_total_raw: '19.90',
      domain_active: 'false',
      membership_date_expiration: '2026-05-01 00:00:00',
      registrar: 'namecheap',
      years: '2',
      wu_version: '2.5.0',
    };
    const result = parsePayload('domain_seller_domain_registered', body);
    expect(result.ok).toBe(true);
    expect(result.event.known).toBe(false);
    expect(result.event.id).toBe('domain_seller_domain_registered');
    expect(result.issues).toEqual([]);
    expect(result.data).toEqual({
      customer_id: 42,
      payment_total_raw: 19.9,
      domain_active: false,
      membership_date_expiration: '2026-05-01T00:00:00Z',
      registrar: 'namecheap',
      years: '2',
      wu_version: '2.5.0',
    });
  });

  it('keeps a known key it cannot normalize, with a warning naming it', () => {
    const result = parsePayload('some_addon_event', {
      site_id: 'main-site',
      payment_status: 'escrow',
    });
    expect(result.ok).toBe(true);
    expect(result.data).toEqual({ site_id: 'main-site', payment_status: 'escrow' });
    expect(result.issues.map((i) => [i.path, i.code, i.severity])).toEqual([
      ['site_id', 'type', 'warning'],
      ['payment_status', 'value', 'warning'],
    ]);
  });

  it('still rejects a body that is not an object', () => {
    expect(parsePayload('some_addon_event', 'x').issues[0]?.code).toBe('not_object');
  });
});
