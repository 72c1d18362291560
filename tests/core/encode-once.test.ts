import { describe, expect, it } from 'vitest';
import { buildRequest, generateSecret, getEvent } from '../../core/src/index.js';

// core encodes a payload that cannot change once per encoding and reuses the text (a fire sends
// one payload to many webhooks); anything that can change must be encoded on every call.

const secret = generateSecret();
const standard = { profile: 'standard' as const, secret, messageId: 'msg_1', timestamp: 1 };
const bodyOf = (payload: unknown, options: Parameters<typeof buildRequest>[2] = standard) =>
  buildRequest('http://127.0.0.1:9/hook', payload, options).body;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('encoding a payload once', () => {
  it('gives a frozen payload the same bytes as an unfrozen copy, per profile and wu_version', () => {
    const plain = { payment_id: 7, membership_amount_raw: 1e17, items: [{ a: '/' }] };
    const frozen = deepFreeze(structuredClone(plain));
    for (let round = 0; round < 2; round++) {
      expect(bodyOf(frozen)).toBe(bodyOf(structuredClone(plain)));
      expect(bodyOf(frozen, { ...standard, wuVersion: '2.5.0' })).toBe(
        bodyOf(structuredClone(plain), { ...standard, wuVersion: '2.5.0' }),
      );
      for (const eventId of ['payment_received', undefined]) {
        const plugin = { profile: 'plugin' as const, ...(eventId ? { eventId } : {}) };
        expect(bodyOf(frozen, plugin)).toBe(bodyOf(structuredClone(plain), plugin));
      }
    }
    expect(bodyOf(frozen, { ...standard, wuVersion: '2.5.0' })).toContain('"wu_version":"2.5.0"');
    expect(bodyOf(frozen, { profile: 'plugin', eventId: 'payment_received' })).toContain(
      '"membership_amount_raw":1.0e+17',
    );
    expect(bodyOf(frozen, { profile: 'plugin' })).toContain(
      '"membership_amount_raw":100000000000000000',
    );
  });

  it('re-encodes payloads that can change: mutable, partly frozen, or with getters', () => {
    const mutable: Record<string, unknown> = { n: 1 };
    expect(bodyOf(mutable)).toContain('"n":1');
    mutable.n = 2;
    expect(bodyOf(mutable)).toContain('"n":2');

    const inner = { n: 1 };
    const shallow = Object.freeze({ inner });
    expect(bodyOf(shallow)).toContain('"n":1');
    inner.n = 2;
    expect(bodyOf(shallow)).toContain('"n":2');

    let n = 1;
    const withGetter = Object.freeze({
      get n() {
        return n;
      },
    });
    expect(bodyOf(withGetter)).toContain('"n":1');
    n = 2;
    expect(bodyOf(withGetter)).toContain('"n":2');
  });

  it('reuses the catalog samples (deeply frozen) correctly', () => {
    const sample = getEvent('payment_received')!.sample;
    const first = bodyOf(sample);
    expect(bodyOf(sample)).toBe(first);
    expect(JSON.parse(first)).toEqual({ ...sample });
  });
});
