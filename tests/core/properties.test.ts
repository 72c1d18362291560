import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  catalog,
  generateSecret,
  identify,
  parsePayload,
  receive,
  sign,
} from '../../core/src/index.js';

/**
 * Properties of what reads untrusted payloads: whatever JSON or bytes arrive, parsePayload,
 * identify and receive never throw, and every issue names a path that exists in the body or in
 * the event's fields. fast-check prints the seed and the smallest failing input when one fails.
 */

const RUNS = { numRuns: 300, interruptAfterTimeLimit: 20_000 };
const ids = catalog.map((event) => event.id);
const ISSUE_CODES = new Set(['missing', 'type', 'value', 'not_object']);

/** A catalog sample with some keys replaced by, or added as, any JSON value, or removed. */
const mutatedSample = fc
  .record({
    event: fc.constantFrom(...catalog),
    edits: fc.array(
      fc.tuple(fc.nat(), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }), fc.string()),
      { maxLength: 6 },
    ),
  })
  .map(({ event, edits }) => {
    const body: Record<string, unknown> = JSON.parse(JSON.stringify(event.sample));
    const keys = Object.keys(body);
    for (const [index, value, extra] of edits) {
      const key = index % 3 === 0 ? extra : keys[index % keys.length]!;
      if (value === undefined) delete body[key];
      else
        Object.defineProperty(body, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return body;
  });

/** What JSON.parse makes of a body with own `__proto__` and `constructor` keys. */
const prototypeKeys = fc
  .tuple(mutatedSample, fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([sample, proto, ctor]): unknown =>
    JSON.parse(
      `{"__proto__":${JSON.stringify(proto)},"constructor":${JSON.stringify(ctor)},${JSON.stringify(sample).slice(1)}`,
    ),
  );

const anyBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
  mutatedSample,
  prototypeKeys,
);

const eventId = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }));

function firstSegment(path: string): string {
  const dot = path.indexOf('.');
  return dot === -1 ? path : path.slice(0, dot);
}

describe('parsePayload', () => {
  it('never throws; ok exactly when no error; every issue names a body key or an event field', () => {
    fc.assert(
      fc.property(eventId, anyBody, (id, body) => {
        const result = parsePayload(id, body);
        expect(result.ok).toBe(result.issues.every((issue) => issue.severity !== 'error'));
        if (result.ok) expect(result.data).toBeDefined();
        const known = new Set(result.event.fields.map((field) => field.key));
        const own =
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? new Set(Object.keys(body))
            : new Set<string>();
        for (const issue of result.issues) {
          expect(ISSUE_CODES.has(issue.code)).toBe(true);
          expect(issue.message.length).toBeGreaterThan(0);
          if (issue.code === 'not_object') {
            expect(issue.path).toBe('');
          } else {
            const key = firstSegment(issue.path);
            expect(known.has(key) || own.has(key), `${issue.path}: ${issue.message}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('never changes the body it reads', () => {
    fc.assert(
      fc.property(eventId, anyBody, (id, body) => {
        const before = JSON.stringify(body);
        parsePayload(id, body);
        expect(JSON.stringify(body)).toBe(before);
      }),
      RUNS,
    );
  });
});

describe('identify', () => {
  it('never throws; candidates are catalog events, best first, with missing and extra keys from the right side', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const candidates = identify(body);
        const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
        if (!isObject) {
          expect(candidates).toEqual([]);
          return;
        }
        const keys = new Set(Object.keys(body));
        for (let i = 0; i < candidates.length; i++) {
          const candidate = candidates[i]!;
          expect(ids).toContain(candidate.event);
          expect(candidate.score).toBeGreaterThanOrEqual(0);
          expect(candidate.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(candidate.score).toBeLessThanOrEqual(candidates[i - 1]!.score);
          const fields = new Set(
            catalog.find((e) => e.id === candidate.event)!.fields.map((f) => f.key),
          );
          for (const key of candidate.missing) {
            expect(fields.has(key) && !keys.has(key), key).toBe(true);
          }
          for (const key of candidate.extra)
            expect(keys.has(key) && !fields.has(key), key).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('ranks an unchanged sample as its own event (or a tie with identical keys)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...catalog), (event) => {
        const [best] = identify(JSON.parse(JSON.stringify(event.sample)));
        expect(best).toBeDefined();
        expect(best!.score).toBe(1);
        if (best!.event !== event.id) expect(best!.tie).toBe(true);
      }),
      { numRuns: ids.length * 2 },
    );
  });
});

describe('receive', () => {
  const headers = fc.dictionary(
    fc.constantFrom(
      'content-type',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'svix-signature',
      'x-other',
    ),
    fc.string({ maxLength: 80 }),
  );
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    anyBody.map((body) => new TextEncoder().encode(JSON.stringify(body) ?? 'null')),
  );

  it('never throws on any bytes and headers; ok exactly when no error; issues name paths', () => {
    fc.assert(
      fc.property(headers, bytes, fc.option(eventId, { nil: undefined }), (hdrs, body, event) => {
        const result = receive({ headers: hdrs, body, ...(event === undefined ? {} : { event }) });
        expect(result.ok).toBe(result.issues.every((issue) => issue.severity !== 'error'));
        expect(result.signature.status).toBe('unchecked');
        for (const issue of result.issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.message.length).toBeGreaterThan(0);
          if (issue.path !== '') {
            const payload = result.payload as Record<string, unknown>;
            const fields = new Set(result.definition?.fields.map((f) => f.key) ?? []);
            const key = firstSegment(issue.path);
            expect(fields.has(key) || Object.hasOwn(payload, key), issue.path).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('with a secret: a forged or garbled signature is "invalid", never a throw', () => {
    const secret = generateSecret();
    fc.assert(
      fc.property(headers, bytes, (hdrs, body) => {
        const result = receive({ headers: hdrs, body, secret });
        expect(result.signature.status).toBe('invalid');
        expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('with a secret: a correctly signed body verifies and reads back as sent', () => {
    const secret = generateSecret();
    fc.assert(
      fc.property(anyBody, fc.stringMatching(/^msg_[A-Za-z0-9]{1,20}$/), (payload, id) => {
        const body = new TextEncoder().encode(JSON.stringify(payload) ?? 'null');
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = sign({ secret, id, timestamp, body });
        const result = receive({
          headers: {
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature,
          },
          body,
          secret,
        });
        expect(result.signature).toEqual({ status: 'valid', id, timestamp });
        expect(result.payload).toEqual(JSON.parse(JSON.stringify(payload) ?? 'null'));
      }),
      RUNS,
    );
  });
});
