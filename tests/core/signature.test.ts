import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, verify, WebhookVerificationError } from '../../core/src/index.js';

// Published and reference vectors (webhook-delivery.md; standardwebhooks@1.1.1, svix, node:crypto).
const VECTORS = [
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  {
    secret: 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    id: 'evt_0001',
    timestamp: 1700000000,
    body: '{"type":"test.event","timestamp":"2023-11-14T22:13:20.000Z","data":{"hello":"wörld"}}',
    signature: 'v1,vHSsticC6ve2rwfv2hZpYr35lzFAQQ1cxqbeOuzYV0c=',
  },
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_empty',
    timestamp: 1614265330,
    body: '',
    signature: 'v1,za1CKH5Eq2VQZ+33R4AiRaBlqULcMRs1lL1rbBuq59U=',
  },
];

const nowSeconds = () => Math.floor(Date.now() / 1000);

function headersFor(id: string, timestamp: number, signature: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
}

/** Runs `fn` and returns the WebhookVerificationError it throws (fails the test otherwise). */
function verificationError(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

describe('Standard Webhooks signatures: published vectors', () => {
  for (const vector of VECTORS) {
    it(`signs ${vector.id} exactly like the reference`, () => {
      expect(sign(vector)).toBe(vector.signature);
      expect(sign({ ...vector, body: Buffer.from(vector.body, 'utf8') })).toBe(vector.signature);
    });

    it(`verifies ${vector.id} at its own time and rejects it 301 s later`, () => {
      const headers = headersFor(vector.id, vector.timestamp, vector.signature);
      expect(
        verify({ secret: vector.secret, headers, body: vector.body, now: vector.timestamp }),
      ).toEqual({
        id: vector.id,
        timestamp: vector.timestamp,
      });
      const stale = verificationError(() =>
        verify({ secret: vector.secret, headers, body: vector.body, now: vector.timestamp + 301 }),
      );
      expect(stale.reason).toBe('too-old');
    });
  }

  it('signs the exact bytes, so a non-UTF-8 body differs from its lossy text form', () => {
    const { secret, id, timestamp } = VECTORS[0]!;
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]); // not valid UTF-8
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), bytes]))
      .digest('base64');
    expect(sign({ secret, id, timestamp, body: bytes })).toBe(`v1,${expected}`);
    expect(sign({ secret, id, timestamp, body: bytes.toString('utf8') })).not.toBe(
      `v1,${expected}`,
    );
  });
});

describe('round trips with independent implementations', () => {
  const body = JSON.stringify({ payment_id: 103, customer_name: 'Zoë O’Brien', note: '😀 / "q"' });

  it('our signature verifies with standardwebhooks and svix 1.x', () => {
    const secret = generateSecret();
    const id = 'msg_roundtrip_1';
    const timestamp = nowSeconds();
    const signature = sign({ secret, id, timestamp, body });
    const headers = headersFor(id, timestamp, signature);
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new SvixWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // svix also reads its own header names
    const svixHeaders = {
      'svix-id': id,
      'svix-timestamp': String(timestamp),
      'svix-signature': signature,
    };
    expect(new SvixWebhook(secret).verify(body, svixHeaders)).toEqual(JSON.parse(body));
  });

  it("standardwebhooks' signature verifies with ours", () => {
    const secret = generateSecret();
    const id = 'msg_roundtrip_2';
    const date = new Date();
    const signature = new StandardWebhook(secret).sign(id, date, body);
    const timestamp = Math.floor(date.getTime() / 1000);
    expect(verify({ secret, headers: headersFor(id, timestamp, signature), body })).toEqual({
      id,
      timestamp,
    });
  });

  it('a tampered body fails with standardwebhooks, svix and ours', () => {
    const secret = generateSecret();
    const timestamp = nowSeconds();
    const headers = headersFor('msg_t', timestamp, sign({ secret, id: 'msg_t', timestamp, body }));
    const tampered = body.replace('103', '104');
    expect(() => new StandardWebhook(secret).verify(tampered, headers)).toThrow(
      /No matching signature/,
    );
    expect(() => new SvixWebhook(secret).verify(tampered, headers)).toThrow(
      /No matching signature/,
    );
    expect(verificationError(() => verify({ secret, headers, body: tampered })).reason).toBe(
      'no-match',
    );
  });
});

describe('verify rejects what it must, with a clear reason', () => {
  const secret = VECTORS[0]!.secret;
  const body = '{"a":1}';
  const fresh = (overrides: Partial<Record<string, string>> = {}) => {
    const timestamp = nowSeconds();
    return {
      ...headersFor('msg_1', timestamp, sign({ secret, id: 'msg_1', timestamp, body })),
      ...overrides,
    };
  };

  it('accepts headers in any case, as a Headers object, and as repeated values', () => {
    const headers = fresh();
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify({ secret, headers: upper, body }).id).toBe('msg_1');
    expect(verify({ secret, headers: new Headers(headers), body }).id).toBe('msg_1');
    const split = {
      ...headers,
      'webhook-signature': ['v1,bm90LWl0', headers['webhook-signature']],
    };
    expect(verify({ secret, headers: split, body }).id).toBe('msg_1');
    // A Headers object joins repeated values with ", ": the first signature keeps no comma.
    const repeated = new Headers(headers);
    repeated.append('webhook-signature', 'v1,bm90LWl0');
    expect(repeated.get('webhook-signature')).toBe(`${headers['webhook-signature']}, v1,bm90LWl0`);
    expect(verify({ secret, headers: repeated, body }).id).toBe('msg_1');
  });

  it('names every missing header', () => {
    const error = verificationError(() =>
      verify({ secret, headers: { 'webhook-id': 'msg_1' }, body }),
    );
    expect(error.reason).toBe('missing-header');
    expect(error.message).toBe('Missing required header(s): webhook-timestamp, webhook-signature.');
  });

  it('rejects a timestamp that is not whole seconds', () => {
    for (const bad of ['abc', '1614265330.5', '-5', '2023-11-14T22:13:20Z']) {
      const error = verificationError(() =>
        verify({ secret, headers: fresh({ 'webhook-timestamp': bad }), body }),
      );
      expect(error.reason).toBe('bad-timestamp');
    }
  });

  it('rejects stale and future timestamps outside the tolerance, accepts them inside', () => {
    const headers = fresh();
    const timestamp = Number(headers['webhook-timestamp']);
    expect(verify({ secret, headers, body, now: timestamp + 300 }).id).toBe('msg_1');
    expect(verify({ secret, headers, body, now: timestamp - 300 }).id).toBe('msg_1');
    expect(
      verificationError(() => verify({ secret, headers, body, now: timestamp + 301 })).reason,
    ).toBe('too-old');
    expect(
      verificationError(() => verify({ secret, headers, body, now: timestamp - 301 })).reason,
    ).toBe('too-new');
    expect(
      verify({ secret, headers, body, now: timestamp + 3000, toleranceSeconds: 3600 }).id,
    ).toBe('msg_1');
  });

  it('rejects a wrong secret, a changed id and a malformed signature list', () => {
    const headers = fresh();
    expect(
      verificationError(() => verify({ secret: generateSecret(), headers, body })).reason,
    ).toBe('no-match');
    expect(
      verificationError(() =>
        verify({ secret, headers: { ...headers, 'webhook-id': 'msg_2' }, body }),
      ).reason,
    ).toBe('no-match');
    expect(
      verificationError(() =>
        verify({
          secret,
          headers: { ...headers, 'webhook-signature': 'garbage without comma' },
          body,
        }),
      ).reason,
    ).toBe('no-signature');
    expect(
      verificationError(() =>
        verify({
          secret,
          headers: { ...headers, 'webhook-signature': 'v1,%%%not-base64%%%' },
          body,
        }),
      ).reason,
    ).toBe('no-match');
  });

  it('accepts any one of several signatures (secret rotation) and ignores v1a entries', () => {
    const headers = fresh();
    const oldSecret = generateSecret();
    const timestamp = Number(headers['webhook-timestamp']);
    const rotated = [
      'v1a,' + headers['webhook-signature']!.slice(3), // asymmetric scheme: ignored
      sign({ secret: oldSecret, id: 'msg_1', timestamp, body }),
      headers['webhook-signature'],
    ].join(' ');
    expect(verify({ secret, headers: { ...headers, 'webhook-signature': rotated }, body }).id).toBe(
      'msg_1',
    );
    expect(
      verify({ secret: oldSecret, headers: { ...headers, 'webhook-signature': rotated }, body }).id,
    ).toBe('msg_1');
    const onlyV1a = 'v1a,' + headers['webhook-signature']!.slice(3);
    expect(
      verificationError(() =>
        verify({ secret, headers: { ...headers, 'webhook-signature': onlyV1a }, body }),
      ).reason,
    ).toBe('no-signature');
  });
});

describe('secrets', () => {
  it('generateSecret gives whsec_ + 32 random bytes that sign and verify', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('rejects malformed secrets with a clear error', () => {
    for (const bad of ['whsec_', 'whsec_not base64!', 'whsec_abc=def', '']) {
      expect(() => sign({ secret: bad, id: 'm', timestamp: 1, body: '' })).toThrow(
        /secret is malformed/,
      );
      expect(() => verify({ secret: bad, headers: {}, body: '' })).toThrow(/secret is malformed/);
    }
  });

  it('rejects ids with spaces and non-integer timestamps when signing', () => {
    const secret = generateSecret();
    expect(() => sign({ secret, id: 'a b', timestamp: 1, body: '' })).toThrow(/without spaces/);
    expect(() => sign({ secret, id: 'a', timestamp: 1.5, body: '' })).toThrow(/whole unix seconds/);
    expect(() => sign({ secret, id: 'a', timestamp: Date.now() * 1000 * 1000, body: '' })).toThrow(
      /whole unix seconds/,
    );
  });
});
