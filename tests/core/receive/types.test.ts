import { describe, expectTypeOf, it } from 'vitest';
import {
  catalog,
  receive,
  receiveRequest,
  verifyAndReceive,
  type CheckoutFailedData,
  type CustomerCreatedData,
  type DemoSiteExpiringData,
  type DomainCreatedData,
  type EventDataMap,
  type PaymentReceivedData,
  type Received,
  type UmEventId,
} from '../../../core/src/index.js';

// Compile-time checks (tsc -b tests and vitest's typecheck of expectTypeOf); the bodies also run.
const input = { headers: {}, body: '{}' };

describe('event data types, derived from the catalog schemas', () => {
  it('types each field by its kind after normalization', () => {
    expectTypeOf<PaymentReceivedData['payment_total_raw']>().toEqualTypeOf<number | null>();
    expectTypeOf<PaymentReceivedData['payment_id']>().toEqualTypeOf<number | null>();
    // The formatted amount ("$ 29.00") is text; the number is payment_total_raw.
    expectTypeOf<PaymentReceivedData['payment_total']>().toEqualTypeOf<string | null>();
    expectTypeOf<PaymentReceivedData['payment_date_created']>().toEqualTypeOf<string | null>();
    expectTypeOf<DomainCreatedData['domain_active']>().toEqualTypeOf<boolean | null>();
    expectTypeOf<DemoSiteExpiringData['demo_expires_at']>().toEqualTypeOf<string | null>();
    expectTypeOf<CheckoutFailedData['error_codes']>().toEqualTypeOf<unknown>();
  });

  it('makes keys optional where the plugin may leave them out', () => {
    // Billing fields are only sent when filled in; payment_received may lack its membership block.
    expectTypeOf<CustomerCreatedData>().toHaveProperty('billing_city');
    expectTypeOf<CustomerCreatedData['billing_city']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<PaymentReceivedData['membership_id']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<PaymentReceivedData['customer_id']>().toEqualTypeOf<number | null | undefined>();
  });

  it('has one entry per catalog event', () => {
    expectTypeOf<keyof EventDataMap>().toEqualTypeOf<UmEventId>();
    expectTypeOf(catalog.map((event) => event.id as UmEventId)).toEqualTypeOf<UmEventId[]>();
    expectTypeOf<'payment_received'>().toExtend<UmEventId>();
    expectTypeOf<'not_an_event'>().not.toExtend<UmEventId>();
  });
});

describe('receive() narrows data by event', () => {
  it('gives the event type when narrowing on event', () => {
    const r: Received = receive(input);
    if (r.event === 'payment_received') {
      expectTypeOf(r.data).toEqualTypeOf<PaymentReceivedData | undefined>();
      if (r.ok) expectTypeOf(r.data.payment_total_raw).toEqualTypeOf<number | null>();
    }
    if (r.ok && r.event === 'domain_created') {
      expectTypeOf(r.data.domain_secure).toEqualTypeOf<boolean | null>();
    }
    if (r.event === null) {
      expectTypeOf(r.eventId).toEqualTypeOf<string | null>();
      if (r.ok) expectTypeOf(r.data).toEqualTypeOf<Record<string, unknown>>();
    }
  });

  it('types the result by the expected event', async () => {
    const r = receive({ ...input, event: 'payment_received' });
    expectTypeOf(r.event).toEqualTypeOf<'payment_received'>();
    if (r.ok) {
      expectTypeOf(r.data.payment_total_raw).toEqualTypeOf<number | null>();
      const total: number = r.data.payment_total_raw ?? 0;
      expectTypeOf(total).toBeNumber();
    }
    const addOn = receive({ ...input, event: 'some_addon_event' });
    expectTypeOf(addOn).toEqualTypeOf<Received>();
    const fetched = await receiveRequest(
      new Request('http://127.0.0.1/', { method: 'POST', body: '{}' }),
      {
        event: 'site_published',
      },
    );
    expectTypeOf(fetched.event).toEqualTypeOf<'site_published'>();
  });

  it('verifyAndReceive gives a valid signature', () => {
    expectTypeOf(verifyAndReceive).parameter(0).toHaveProperty('secret').toEqualTypeOf<string>();
    type Verified = ReturnType<typeof verifyAndReceive<'payment_received'>>;
    expectTypeOf<Verified['signature']['status']>().toEqualTypeOf<'valid'>();
    expectTypeOf<Verified['event']>().toEqualTypeOf<'payment_received'>();
  });
});
