import { Webhook as StandardWebhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  catalog,
  encodePhpJson,
  generateSecret,
  parsePayload,
  receive,
  sign,
  verifyAndReceive,
  WebhookBodyTooLargeError,
  WebhookVerificationError,
  type FieldType,
  type Received,
  type ReceivedHeaders,
} from '../../../core/src/index.js';

const SECRET = generateSecret();
const NOW = 1_780_000_000;
const ID = 'msg_2x5Yq8RcVtW3';

/** Standard Webhooks headers for `body`, signed by core. */
function signedHeaders(
  body: string | Uint8Array,
  { secret = SECRET, id = ID, timestamp = NOW } = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ secret, id, timestamp, body }),
  };
}

/** What a value of each field type may be after normalization (the data types promise these). */
const holds: Record<FieldType, (value: unknown) => boolean> = {
  integer: (v) => v === null || Number.isInteger(v),
  number: (v) => v === null || (typeof v === 'number' && Number.isFinite(v)),
  boolean: (v) => v === null || typeof v === 'boolean',
  datetime: (v) => v === null || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T.*Z$/.test(v)),
  string: (v) => v === null || typeof v === 'string',
  url: (v) => v === null || typeof v === 'string',
  email: (v) => v === null || typeof v === 'string',
  html: (v) => v === null || typeof v === 'string',
  json: () => true,
};

function pairsOf(raw: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

function codes(result: Received): string[] {
  return result.issues.map((issue) => `${issue.code}:${issue.severity}`);
}

describe('receive: every catalog event', () => {
  for (const event of catalog) {
    it(`${event.id}: signed sample bytes → its event, normalized data, a valid signature`, () => {
      const body = Buffer.from(JSON.stringify(event.sample));
      const result = receive({
        headers: signedHeaders(body),
        body,
        event: event.id,
        secret: SECRET,
        now: NOW,
      });
      expect(result.ok, JSON.stringify(result.issues)).toBe(true);
      expect(result.event).toBe(event.id);
      expect(result.eventId).toBe(event.id);
      expect(result.definition).toBe(event);
      expect(result.signature).toEqual({ status: 'valid', id: ID, timestamp: NOW });
      expect(result.payload).toEqual(event.sample);
      expect(result.data).toEqual(parsePayload(event.id, event.sample).data);
      for (const field of event.fields) {
        const value = result.data?.[field.key];
        expect(holds[field.type](value), `${field.key} = ${JSON.stringify(value)}`).toBe(true);
        if (!field.optional) expect(result.data).toHaveProperty(field.key);
      }
    });

    it(`${event.id}: the plugin's Send Test Event bytes (PHP JSON, unsigned)`, () => {
      const floatKeys = new Set(event.fields.filter((f) => f.encodesAsFloat).map((f) => f.key));
      const body = Buffer.from(encodePhpJson(event.pluginSample, { floatKeys }));
      const result = receive({
        headers: { 'Content-Type': 'application/json' },
        body,
        event: event.id,
      });
      expect(result.ok, JSON.stringify(result.issues)).toBe(true);
      expect(result.signature.status).toBe('unchecked');
      expect(result.data).toEqual(parsePayload(event.id, event.pluginSample).data);
    });
  }

  it('narrows data by event at run time as the types promise', () => {
    const sample = catalog.find((event) => event.id === 'payment_received')!.sample;
    const body = JSON.stringify({ ...sample, payment_total_raw: '29.00000000', payment_id: '103' });
    const result = receive({ headers: signedHeaders(body), body, event: 'payment_received' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const total: number | null = result.data.payment_total_raw;
    expect(total).toBe(29);
    expect(result.data.payment_id).toBe(103);
    expect(result.data.payment_date_created).toBe('2026-04-01T12:34:56Z');
  });

  it('recognizes the event from the body when its keys are unique, and names the ties', () => {
    const sample = (id: string) => JSON.stringify(catalog.find((e) => e.id === id)!.sample);
    const published = receive({ headers: {}, body: sample('site_published') });
    expect(published.ok).toBe(true);
    expect(published.event).toBe('site_published');
    if (published.event === 'site_published') expect(published.data?.site_id).toBe(12);

    const created = receive({ headers: {}, body: sample('customer_created') });
    expect(created.ok).toBe(false);
    expect(created.event).toBeNull();
    expect(created.eventId).toBeNull();
    expect(created.data).toBeUndefined();
    // The tied best two, then two runners-up (identify ranks many more with a few shared keys).
    expect(created.candidates.map((c) => c.event).slice(0, 2)).toEqual([
      'customer_created',
      'customer_updated',
    ]);
    expect(created.candidates).toHaveLength(4);
    expect(created.candidates[2]!.score).toBeLessThan(1);
    expect(created.issues).toEqual([
      expect.objectContaining({
        code: 'event',
        severity: 'error',
        message: expect.stringMatching(/customer_created or customer_updated.*Pass `event`/),
      }),
    ]);
  });
});

describe('receive: signatures', () => {
  const body = JSON.stringify(catalog[0]!.sample);

  it('verifies what the standardwebhooks package signs (bytes and non-ASCII text)', () => {
    const text = JSON.stringify({ ...catalog[1]!.sample, site_title: 'Bäckerei Müller 🍞' });
    const timestamp = new Date(NOW * 1000);
    const signature = new StandardWebhook(SECRET).sign(ID, timestamp, text);
    const headers = {
      'webhook-id': ID,
      'webhook-timestamp': String(NOW),
      'webhook-signature': signature,
    };
    for (const asSent of [
      text,
      Buffer.from(text, 'utf8'),
      new Uint8Array(Buffer.from(text)).buffer,
    ]) {
      const result = receive({ headers, body: asSent, secret: SECRET, now: NOW });
      expect(result.signature).toEqual({ status: 'valid', id: ID, timestamp: NOW });
      expect(result.event).toBe('site_published');
      if (result.event === 'site_published')
        expect(result.data?.site_title).toBe('Bäckerei Müller 🍞');
    }
    // And the other way round: standardwebhooks (which reads the clock) verifies core's signature.
    const ours = signedHeaders(text, { timestamp: Math.floor(Date.now() / 1000) });
    expect(new StandardWebhook(SECRET).verify(text, ours)).toEqual(JSON.parse(text));
  });

  it('a wrong secret: invalid (no-match), not ok, the data still readable for a log', () => {
    const result = receive({
      headers: signedHeaders(body, { secret: generateSecret() }),
      body,
      secret: SECRET,
      event: 'payment_received',
      now: NOW,
    });
    expect(result.signature).toMatchObject({ status: 'invalid', reason: 'no-match' });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['signature:error']);
    expect(result.data?.payment_total_raw).toBe(29);
  });

  it('a changed body (one byte) does not verify', () => {
    const headers = signedHeaders(body);
    const changed = body.replace('"payment_total_raw":29', '"payment_total_raw":20');
    expect(changed).not.toBe(body);
    const result = receive({ headers, body: changed, secret: SECRET, now: NOW });
    expect(result.signature).toMatchObject({ status: 'invalid', reason: 'no-match' });
    expect(result.ok).toBe(false);
    // Re-serialized JSON has the same data but other bytes: it no longer verifies either.
    const reserialized = JSON.stringify(JSON.parse(body), null, 1);
    expect(
      receive({ headers, body: reserialized, secret: SECRET, now: NOW }).signature.status,
    ).toBe('invalid');
  });

  it('a stale or future timestamp is refused; the tolerance can be set', () => {
    const headers = signedHeaders(body);
    const stale = receive({ headers, body, secret: SECRET, now: NOW + 301 });
    expect(stale.signature).toMatchObject({ status: 'invalid', reason: 'too-old' });
    expect(stale.ok).toBe(false);
    const future = receive({ headers, body, secret: SECRET, now: NOW - 301 });
    expect(future.signature).toMatchObject({ status: 'invalid', reason: 'too-new' });
    const tolerant = receive({
      headers,
      body,
      secret: SECRET,
      now: NOW + 301,
      toleranceSeconds: 600,
    });
    expect(tolerant.signature.status).toBe('valid');
  });

  it('missing headers are named', () => {
    const result = receive({
      headers: { 'content-type': 'application/json' },
      body,
      secret: SECRET,
    });
    expect(result.signature).toEqual({
      status: 'invalid',
      reason: 'missing-header',
      message: 'Missing required header(s): webhook-id, webhook-timestamp, webhook-signature.',
    });
    expect(result.ok).toBe(false);
    const { 'webhook-signature': _dropped, ...unsigned } = signedHeaders(body);
    expect(receive({ headers: unsigned, body, secret: SECRET, now: NOW }).signature).toMatchObject({
      reason: 'missing-header',
      message: 'Missing required header(s): webhook-signature.',
    });
  });

  it('no secret: unchecked, ok on a good payload, with a warning when the request was signed', () => {
    const unsigned = receive({ headers: {}, body, event: 'payment_received' });
    expect(unsigned.signature.status).toBe('unchecked');
    expect(unsigned.ok).toBe(true);
    expect(unsigned.issues).toEqual([]);
    const signed = receive({ headers: signedHeaders(body), body, event: 'payment_received' });
    expect(signed.ok).toBe(true);
    expect(codes(signed)).toEqual(['signature:warning']);
  });

  it('accepts the svix-* header names and a rotated secret (several signatures)', () => {
    const old = generateSecret();
    const headers = signedHeaders(body);
    const svix = {
      'svix-id': ID,
      'svix-timestamp': String(NOW),
      'svix-signature': `${sign({ secret: old, id: ID, timestamp: NOW, body })} ${headers['webhook-signature']}`,
    };
    expect(receive({ headers: svix, body, secret: SECRET, now: NOW }).signature.status).toBe(
      'valid',
    );
    expect(receive({ headers: svix, body, secret: old, now: NOW }).signature.status).toBe('valid');
  });

  it('verifyAndReceive throws WebhookVerificationError unless the signature verifies', () => {
    const verified = verifyAndReceive({
      headers: signedHeaders(body),
      body,
      secret: SECRET,
      event: 'payment_received',
      now: NOW,
    });
    expect(verified.signature).toEqual({ status: 'valid', id: ID, timestamp: NOW });
    expect(verified.data?.payment_id).toBe(103);
    let thrown: unknown;
    try {
      verifyAndReceive({ headers: signedHeaders(body), body, secret: SECRET, now: NOW + 3600 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WebhookVerificationError);
    expect(thrown).toMatchObject({ reason: 'too-old' });
  });

  it("a malformed or undefined secret is the caller's mistake: TypeError", () => {
    expect(() => receive({ headers: signedHeaders(body), body, secret: 'not base64!' })).toThrow(
      /secret is malformed/,
    );
    // An unset environment variable must not turn verification off.
    const fromEnv = { ...process.env }.UMHOOKS_TEST_SECRET_THAT_IS_NOT_SET;
    expect(() => receive({ headers: signedHeaders(body), body, secret: fromEnv })).toThrow(
      /secret is undefined: .*environment variable/,
    );
  });
});

describe('receive: headers in every form a server gives them', () => {
  const body = JSON.stringify(catalog[0]!.sample);
  const signed = signedHeaders(body);
  const rawHeaders = ['Host', '127.0.0.1', 'Content-Type', 'application/json'];
  for (const [name, value] of Object.entries(signed)) {
    if (name !== 'content-type') rawHeaders.push(name.replace(/^w/, 'W'), value);
  }
  const forms: Array<[string, ReceivedHeaders]> = [
    [
      'a plain object (IncomingHttpHeaders)',
      { ...signed, 'x-forwarded-for': ['a', 'b'], gone: undefined },
    ],
    [
      'a plain object in any case',
      Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v])),
    ],
    ['a fetch Headers', new Headers(signed)],
    ["Node's rawHeaders", rawHeaders],
    ['[name, value] pairs', Object.entries(signed) as Array<[string, string]>],
  ];
  for (const [form, headers] of forms) {
    it(form, () => {
      const result = receive({
        headers,
        body,
        secret: SECRET,
        now: NOW,
        event: 'payment_received',
      });
      expect(result.signature).toEqual({ status: 'valid', id: ID, timestamp: NOW });
      expect(result.ok).toBe(true);
    });
  }

  it('repeated signature headers add up (secret rotation), in rawHeaders and fetch Headers', () => {
    const other = sign({ secret: generateSecret(), id: ID, timestamp: NOW, body });
    const raw = [
      'webhook-id',
      ID,
      'webhook-timestamp',
      String(NOW),
      'webhook-signature',
      other,
      'Webhook-Signature',
      signed['webhook-signature']!,
    ];
    expect(receive({ headers: raw, body, secret: SECRET, now: NOW }).signature.status).toBe(
      'valid',
    );
    // A fetch Headers joins repeats with ", " itself: the right signature, before the comma,
    // still counts.
    const fetchHeaders = new Headers(pairsOf(raw));
    fetchHeaders.delete('webhook-signature');
    fetchHeaders.append('webhook-signature', signed['webhook-signature']!);
    fetchHeaders.append('webhook-signature', other);
    expect(fetchHeaders.get('webhook-signature')).toBe(`${signed['webhook-signature']}, ${other}`);
    expect(
      receive({ headers: fetchHeaders, body, secret: SECRET, now: NOW }).signature.status,
    ).toBe('valid');
  });

  it('refuses an array that is neither rawHeaders nor pairs', () => {
    expect(() => receive({ headers: ['webhook-id'], body })).toThrow(/rawHeaders/);
  });

  it('warns when the body is not declared as JSON', () => {
    const result = receive({
      headers: { 'content-type': 'text/plain' },
      body,
      event: 'payment_received',
    });
    expect(result.ok).toBe(true);
    expect(codes(result)).toEqual(['content_type:warning']);
  });
});

describe('receive: bodies that are not a payload', () => {
  it('unknown (add-on) event: generic definition, every key kept, known keys normalized', () => {
    const body = JSON.stringify({
      domain_name: 'bakery.example',
      customer_id: '42',
      payment_total_raw: '9.5',
    });
    const result = receive({
      headers: signedHeaders(body),
      body,
      secret: SECRET,
      now: NOW,
      event: 'domain_seller_sold',
    });
    expect(result.ok).toBe(true);
    expect(result.event).toBeNull();
    expect(result.eventId).toBe('domain_seller_sold');
    expect(result.definition).toMatchObject({ id: 'domain_seller_sold', known: false });
    expect(result.data).toEqual({
      domain_name: 'bakery.example',
      customer_id: 42,
      payment_total_raw: 9.5,
    });
  });

  it('a body no event has, without `event`: not recognized, asking for `event`', () => {
    const result = receive({ headers: {}, body: '{"addon_field":1}' });
    expect(result.ok).toBe(false);
    expect(result.eventId).toBeNull();
    expect(result.payload).toEqual({ addon_field: 1 });
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'event',
        message: expect.stringMatching(/No event of the catalog.*Pass `event`/),
      }),
    ]);
  });

  it('another event than the expected one: an event error naming the better fit', () => {
    const site = JSON.stringify(catalog.find((e) => e.id === 'site_published')!.sample);
    const wrong = receive({ headers: {}, body: site, event: 'payment_received' });
    expect(wrong.ok).toBe(false);
    expect(wrong.event).toBe('payment_received');
    expect(wrong.issues.filter((i) => i.code === 'missing').map((i) => i.path)).toContain(
      'payment_id',
    );
    expect(wrong.issues.find((i) => i.code === 'event')?.message).toMatch(
      /expects payment_received, but the body fits site_published better/,
    );
    // Every field the expected event needs is there, yet the body is another event's.
    const membership = JSON.stringify(catalog.find((e) => e.id === 'membership_created')!.sample);
    const superset = receive({ headers: {}, body: membership, event: 'customer_created' });
    expect(superset.ok).toBe(false);
    expect(codes(superset)).toEqual(['event:error']);
    expect(superset.issues[0]!.message).toMatch(
      /fits membership_created or membership_updated better/,
    );
    // Same keys (a tie) is no mismatch: the endpoint's word decides.
    expect(receive({ headers: {}, body: membership, event: 'membership_updated' }).ok).toBe(true);
  });

  it('invalid JSON: a json error, no data, the signature still checked over the bytes', () => {
    const body = '{"payment_id": 103,';
    const result = receive({
      headers: signedHeaders(body),
      body,
      secret: SECRET,
      now: NOW,
      event: 'payment_received',
    });
    expect(result.ok).toBe(false);
    expect(result.signature.status).toBe('valid');
    expect(result.payload).toBeUndefined();
    expect(result.data).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'json',
        severity: 'error',
        message: expect.stringMatching(/^The body is not JSON/),
      }),
    ]);
    expect(codes(receive({ headers: {}, body: '  ' }))).toEqual(['json:error']);
  });

  it('non-UTF-8 bytes: an encoding error; the signature is over the bytes as they are', () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"a":"\xff\xfe"}
    const result = receive({ headers: signedHeaders(body), body, secret: SECRET, now: NOW });
    expect(result.signature.status).toBe('valid');
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'encoding', message: expect.stringMatching(/not UTF-8/) }),
    ]);
    // Decoding to text first (what a framework's text body does) replaces the bytes: no match.
    const asText = body.toString('utf8');
    expect(
      receive({ headers: signedHeaders(body), body: asText, secret: SECRET, now: NOW }).signature,
    ).toMatchObject({
      reason: 'no-match',
    });
  });

  it('a UTF-8 BOM is dropped before JSON; JSON that is not an object is not a payload', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"site_id":1}')]);
    expect(receive({ headers: {}, body, event: 'addon_event' }).data).toEqual({ site_id: 1 });
    const list = receive({ headers: {}, body: '[1,2]', event: 'payment_received' });
    expect(list.ok).toBe(false);
    expect(codes(list)).toEqual(['not_object:error']);
  });

  it('a body over maxBodyBytes throws WebhookBodyTooLargeError (answer 413)', () => {
    const body = Buffer.alloc(2049, 0x20);
    let thrown: unknown;
    try {
      receive({ headers: {}, body, maxBodyBytes: 2048 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WebhookBodyTooLargeError);
    expect(thrown).toMatchObject({ status: 413, limit: 2048 });
    expect(codes(receive({ headers: {}, body: body.subarray(1), maxBodyBytes: 2048 }))).toEqual([
      'json:error',
    ]);
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    expect(() => receive({ headers: {}, body: big })).toThrow(WebhookBodyTooLargeError);
  });

  it('a parsed body (express.json) or none at all is refused, saying how to get the bytes', () => {
    const parsed = { payment_id: 1 } as unknown as string;
    expect(() => receive({ headers: {}, body: parsed })).toThrow(
      /express\.raw\(\{ type: '\*\/\*' \}\)/,
    );
    expect(() => receive({ headers: {}, body: undefined as unknown as string })).toThrow(
      /got undefined/,
    );
  });
});
