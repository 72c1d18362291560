import { applyOverrides, getEvent, parseAssignments } from '@umhooks/core';
import { describe, expect, it } from 'vitest';

const sample = (id: string) => getEvent(id)!.sample;

describe('applyOverrides', () => {
  it('types text by the field: numbers, integers, booleans in the payload’s form, json, null', () => {
    const paid = applyOverrides('payment_received', sample('payment_received'), {
      set: {
        payment_total_raw: '49.9',
        payment_id: '7',
        payment_total: '49.9',
        payment_date_created: 'null',
      },
    });
    expect(paid.ok).toBe(true);
    expect(paid.payload.payment_total_raw).toBe(49.9);
    expect(paid.payload.payment_id).toBe(7);
    // payment_total is the formatted text ("$ 29.00") in the schema, so it stays text.
    expect(paid.payload.payment_total).toBe('49.9');
    expect(paid.payload.payment_date_created).toBe(null);
    const domain = applyOverrides('domain_created', sample('domain_created'), {
      set: { domain_secure: 'TRUE' },
    });
    expect(domain.payload.domain_secure).toBe('true');
    const failed = applyOverrides('checkout_failed', sample('checkout_failed'), {
      set: { error_codes: '["a","b"]' },
    });
    expect(failed.payload.error_codes).toEqual(['a', 'b']);
  });

  it('keeps JSON values as given, removes with unset, and never changes its input', () => {
    const input = sample('payment_created');
    const result = applyOverrides('payment_created', input, {
      set: { payment_total_raw: 12.5, add_on_key: { a: 1 } },
      unset: ['billing_zip_code'],
    });
    expect(result.ok).toBe(true);
    expect(result.payload.payment_total_raw).toBe(12.5);
    expect(result.payload.add_on_key).toEqual({ a: 1 });
    expect(result.payload).not.toHaveProperty('billing_zip_code');
    expect(input).toHaveProperty('billing_zip_code');
  });

  it('refuses a value the schema refuses, with its issue, unless forced', () => {
    const refused = applyOverrides('payment_received', sample('payment_received'), {
      set: { payment_total_raw: 'lots' },
    });
    expect(refused.ok).toBe(false);
    expect(refused.issues).toContainEqual(
      expect.objectContaining({
        path: 'payment_total_raw',
        severity: 'error',
        message: 'payment_total_raw should be a number, got "lots"',
      }),
    );
    const forced = applyOverrides(
      'payment_received',
      sample('payment_received'),
      { set: { payment_total_raw: 'lots' } },
      true,
    );
    expect(forced.ok).toBe(true);
    expect(forced.payload.payment_total_raw).toBe('lots');
    const missing = applyOverrides('payment_received', sample('payment_received'), {
      unset: ['payment_id'],
    });
    expect(missing.ok).toBe(false);
    expect(missing.issues[0]?.code).toBe('missing');
  });

  it('refuses paths that lead nowhere', () => {
    const flat = applyOverrides('demo_site_expiring', sample('demo_site_expiring'), {
      set: { 'site.title': 'x', 'a..b': 1, '__proto__.x': 1 },
      unset: ['nope'],
    });
    expect(flat.ok).toBe(false);
    expect(flat.issues.slice(0, 4).map((i) => i.message)).toEqual([
      'cannot set site.title: the payload has nothing at "site".',
      '"a..b" is not a field path (e.g. payment_total_raw or site.title).',
      '"__proto__.x" is not a field path (e.g. payment_total_raw or site.title).',
      'cannot unset nope: the payload has no such field.',
    ]);
  });

  it('parses key=value items', () => {
    expect(parseAssignments(['a=1', 'b.c=x=y', 'd='])).toEqual({ a: '1', 'b.c': 'x=y', d: '' });
    expect(() => parseAssignments(['novalue'])).toThrow(/expected key=value/);
  });
});
