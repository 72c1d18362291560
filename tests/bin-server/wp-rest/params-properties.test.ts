import type { Request } from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bodyObject,
  mergedParams,
  readParams,
  type WpParams,
} from '../../../bin-server/src/wp-rest/params.js';

/**
 * Properties of the plugin REST parameter parser: any query, any content type, any body bytes —
 * it never throws, refuses only what json_decode refuses, and every key a sender gives (even
 * `__proto__`) arrives with the value PHP would see (the last of repeated keys).
 */

const RUNS = { numRuns: 500, interruptAfterTimeLimit: 20_000 };

/** readParams reads exactly these three fields of express's Request. */
function request(contentType: string | undefined, body: Uint8Array, query: string): Request {
  return {
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: Buffer.from(body),
    originalUrl: `/wp-json/wu/v2/webhook${query === '' ? '' : `?${query}`}`,
  } as unknown as Request;
}

const key = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
);
const pairs = fc.array(fc.tuple(key, fc.string({ maxLength: 20 })), { maxLength: 8 });

function lastOf(entries: Array<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of entries) out.set(k, v);
  return out;
}

function ownEntries(record: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.keys(record).map((k) => [k, record[k]]));
}

describe('wp-rest parameter parser', () => {
  it('never throws on any content type, body bytes and query', () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.oneof(
            fc.constantFrom(
              'application/json',
              'application/json; charset=utf-8',
              'application/vnd.api+json',
              'application/x-www-form-urlencoded',
              'text/plain',
              'multipart/form-data; boundary=x',
            ),
            fc.string({ maxLength: 40 }),
          ),
          { nil: undefined },
        ),
        fc.oneof(
          fc.uint8Array({ maxLength: 1024 }),
          fc.json().map((text) => new TextEncoder().encode(text)),
        ),
        fc.string({ maxLength: 100 }),
        (type, body, query) => {
          const params = readParams(request(type, body, query));
          if (!('raw' in params)) {
            expect(params.body.code).toBe('rest_invalid_json');
            return;
          }
          mergedParams(params);
          bodyObject(params);
          expect(Buffer.from(params.raw).equals(Buffer.from(body))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('takes any JSON object as json_decode does: every key, the last of repeated ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.jsonValue({ maxDepth: 3 })), { maxLength: 8 }),
        (entries) => {
          const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
          const params = readParams(
            request('application/json', new TextEncoder().encode(text), ''),
          ) as WpParams;
          expect('raw' in params).toBe(true);
          const expected = new Map<string, unknown>();
          for (const [k, v] of entries) expected.set(k, JSON.parse(JSON.stringify(v)));
          expect(ownEntries(params.json!)).toEqual(expected);
          expect(ownEntries(mergedParams(params))).toEqual(expected);
          expect(Object.getPrototypeOf(params.json)).toBe(Object.prototype);
        },
      ),
      RUNS,
    );
  });

  it('takes any query and form fields, every key with its last value, JSON over form over query', () => {
    fc.assert(
      fc.property(pairs, pairs, (query, form) => {
        const encode = (entries: Array<[string, string]>) =>
          entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const params = readParams(
          request(
            'application/x-www-form-urlencoded',
            new TextEncoder().encode(encode(form)),
            encode(query),
          ),
        ) as WpParams;
        expect(ownEntries(params.query)).toEqual(lastOf(query));
        expect(ownEntries(params.form)).toEqual(lastOf(form));
        const merged = new Map([...lastOf(query), ...lastOf(form)]);
        expect(ownEntries(mergedParams(params))).toEqual(merged);
      }),
      RUNS,
    );
  });
});
