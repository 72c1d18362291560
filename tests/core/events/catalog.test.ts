import { describe, expect, it } from 'vitest';
import { catalog, genericEvent, getEvent, parsePayload, resolveEvent } from '@umhooks/core';
import { BILLING_KEYS, fixture, fixtureEvents } from './fixture.js';

/** The reference writes versions loosely; the catalog normalizes them to plugin versions. */
function expectedSince(text: string): string {
  if (text.includes('main after 2.4.13')) return '2.5.0';
  if (text.startsWith('2.4.12')) return '2.4.12';
  if (text.startsWith('2.1.4')) return '2.1.4';
  // "<=2.0" / "2.0.x": the earliest version the reference names for them is 2.1.4.
  if (text.startsWith('<=2.0') || text.startsWith('2.0.x')) return '2.1.4';
  throw new Error(`unexpected since text in the fixture: ${text}`);
}

const MODEL_EVENTS = [
  'customer_created',
  'customer_updated',
  'membership_created',
  'membership_updated',
  'payment_created',
  'payment_updated',
];

describe('catalog agrees with the reference events', () => {
  it('has the same 23 ids in the same order', () => {
    expect(fixtureEvents).toHaveLength(23);
    expect(catalog.map((e) => e.id)).toEqual(fixtureEvents.map((e) => e.id));
  });

  it.each(fixtureEvents.map((e) => [e.id, e] as const))(
    '%s: name, delivery, since',
    (id, reference) => {
      const event = getEvent(id);
      expect(event?.name).toBe(reference.name);
      expect(event?.delivery).toBe(reference.delivery);
      expect(event?.since).toBe(expectedSince(reference.since));
      expect(event?.known).toBe(true);
    },
  );

  it.each(fixtureEvents.map((e) => [e.id, e] as const))(
    '%s: sample is the reference example, key for key and in order',
    (id, reference) => {
      const event = getEvent(id)!;
      expect(event.sample).toEqual(reference.payload_example);
      expect(Object.keys(event.sample)).toEqual(Object.keys(reference.payload_example));
    },
  );

  it.each(fixtureEvents.map((e) => [e.id, e] as const))(
    '%s: fields follow the payload keys (without wu_version), pluginSample has the same keys',
    (id, reference) => {
      const event = getEvent(id)!;
      const keys = Object.keys(reference.payload_example).filter((k) => k !== 'wu_version');
      expect(event.fields.map((f) => f.key)).toEqual(keys);
      expect(Object.keys(event.pluginSample)).toEqual(Object.keys(reference.payload_example));
      for (const field of event.fields) expect(field.label.trim().length).toBeGreaterThan(2);
    },
  );

  it('counts 15 delivered and 8 log-only events', () => {
    expect(catalog.filter((e) => e.delivery === 'webhook')).toHaveLength(15);
    expect(catalog.filter((e) => e.delivery === 'log-only')).toHaveLength(8);
  });

  it.each(catalog.map((e) => [e.id, e] as const))(
    '%s: description and trigger clause read well',
    (_id, event) => {
      expect(event.description.length).toBeGreaterThan(40);
      expect(event.description.split(/[.!?](?:\s|$)/).filter(Boolean).length).toBeLessThanOrEqual(
        2,
      );
      expect(event.when).toMatch(/^[a-z]/);
      expect(event.when).not.toMatch(/[.\s]$/);
    },
  );

  it('mentions the customer_updated login quirk', () => {
    expect(getEvent('customer_updated')?.description).toMatch(/logs in/);
  });
});

describe('every sample, pluginSample and reference example parses cleanly', () => {
  const cases = fixtureEvents.flatMap((reference) => {
    const event = getEvent(reference.id)!;
    return [
      [reference.id, 'sample', event.sample],
      [reference.id, 'pluginSample', event.pluginSample],
      [reference.id, 'reference example', reference.payload_example],
    ] as const;
  });

  it.each(cases)('%s %s', (id, _what, body) => {
    const result = parsePayload(id, body);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.data?.wu_version).toBe(body.wu_version);
  });
});

describe('pluginSample is what Send Test Event posts', () => {
  it.each(catalog.map((e) => [e.id, e] as const))('%s carries the mock objects', (_id, event) => {
    const sample = event.pluginSample;
    expect(typeof sample.wu_version).toBe('string');
    const blocks = new Set(event.blocks);
    if (blocks.has('customer')) {
      expect(sample.customer_id).toBe(0);
      expect(sample.customer_name).toBe('John McMocked');
      expect(sample.customer_user_email).toBe('mockeduser@dev.dev');
      expect(sample.customer_email_verification).toBeNull();
    }
    if (blocks.has('membership')) {
      expect(sample.membership_id).toBe(0);
      expect(sample.membership_status).toBeNull();
    }
    if (blocks.has('payment')) {
      expect(sample.payment_id).toBe(0);
      expect(sample.payment_product_names).toBe('Test Product');
    }
    if (blocks.has('domain')) {
      expect(sample.domain_id).toBe(0);
      expect(sample.domain_domain).toBe('example.com');
      expect(sample.domain_stage).toBe('checking-dns');
    }
    if (blocks.has('site')) {
      expect(sample.site_manage_url).toMatch(/id=0$/);
    }
  });

  it.each(MODEL_EVENTS)('%s has all 8 billing keys as empty strings', (id) => {
    const sample = getEvent(id)!.pluginSample;
    for (const key of BILLING_KEYS) expect(sample[key]).toBe('');
  });

  it('uses the registered own values', () => {
    expect(getEvent('confirm_email_address')?.pluginSample.verification_link).toBe(
      'https://linktoverifyemail.com',
    );
    expect(getEvent('checkout_completed')?.pluginSample).toMatchObject({
      gateway: 'free',
      is_free: true,
    });
    expect(getEvent('checkout_started')?.pluginSample).toMatchObject({
      form_slug: 'default-checkout',
      ip_address: '127.0.0.1',
    });
  });

  it('reports deprecated args like GET /hooks', () => {
    expect(getEvent('payment_received')?.deprecatedArgs).toEqual({
      user_id: 'customer_user_id',
      amount: 'payment_total',
      gateway: 'payment_gateway',
      status: 'payment_status',
      date: 'payment_date_created',
    });
    expect(getEvent('domain_created')?.deprecatedArgs).toMatchObject({
      mapped_domain: 'mydomain.com',
    });
    expect(getEvent('customer_created')?.deprecatedArgs).toEqual({});
  });
});

describe('field information', () => {
  it('marks PHP floats, billing keys as optional and documents statuses', () => {
    const fields = new Map(getEvent('payment_created')!.fields.map((f) => [f.key, f]));
    expect(fields.get('membership_amount_raw')?.encodesAsFloat).toBe(true);
    expect(fields.get('membership_initial_amount_raw')?.encodesAsFloat).toBe(true);
    expect(fields.get('payment_total_raw')?.encodesAsFloat).toBeUndefined();
    expect(fields.get('payment_total_raw')).toMatchObject({
      type: 'number',
      label: 'Payment Total (Number)',
    });
    for (const key of BILLING_KEYS) expect(fields.get(key)?.optional).toBe(true);
    expect(fields.get('payment_id')).toMatchObject({ type: 'integer', optional: false });
    expect(fields.get('payment_date_created')?.type).toBe('datetime');
    expect(fields.get('payment_status')?.choices).toContain('partially-refunded');
    expect(fields.get('membership_status')?.choices).toContain('on-hold');
    expect(fields.get('customer_email_verification')?.choices).toEqual([
      'none',
      'pending',
      'verified',
    ]);
    const domain = new Map(getEvent('domain_created')!.fields.map((f) => [f.key, f]));
    expect(domain.get('domain_active')?.type).toBe('boolean');
    expect(domain.get('domain_stage')?.choices).toContain('checking-ssl-cert');
  });

  it('describes demo_site_expiring with the flat keys of its sample', () => {
    const event = getEvent('demo_site_expiring')!;
    expect(event.fields.map((f) => f.key)).toEqual(
      Object.keys(fixture('demo_site_expiring').payload_example).filter((k) => k !== 'wu_version'),
    );
  });
});

describe('shared definitions cannot be changed by consumers', () => {
  it('freezes the catalog, definitions, samples and fields', () => {
    const event = getEvent('payment_received')!;
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.fields)).toBe(true);
    expect(Object.isFrozen(event.fields[0])).toBe(true);
    expect(() => {
      (event.sample as Record<string, unknown>).payment_id = 1;
    }).toThrow(TypeError);
    expect(() => {
      (event.pluginSample as Record<string, unknown>).customer_name = 'x';
    }).toThrow(TypeError);
    const nested = getEvent('checkout_failed')!.sample.error_codes as string[];
    expect(() => nested.push('x')).toThrow(TypeError);
    expect(event.sample.payment_id).toBe(103);
  });
});

describe('unknown (add-on) event ids', () => {
  it('getEvent returns undefined, resolveEvent falls back to the generic definition', () => {
    expect(getEvent('domain_seller_purchase')).toBeUndefined();
    expect(resolveEvent('payment_received')).toBe(getEvent('payment_received'));
    const generic = resolveEvent('domain_seller_purchase');
    expect(generic).toMatchObject({
      id: 'domain_seller_purchase',
      name: 'Domain Seller Purchase',
      known: false,
      delivery: 'webhook',
      fields: [],
    });
    expect(generic.when).toContain('domain_seller_purchase');
    expect(genericEvent('x').known).toBe(false);
  });
});
