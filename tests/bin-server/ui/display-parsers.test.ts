import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText, printJson, type JsonNode } from '../../../bin-server/ui/src/lib/json.js';
import { boundaryOf, parseMultipart } from '../../../bin-server/ui/src/lib/multipart.js';

/**
 * Properties of the UI's lenient display parsers, which read captured bodies from anyone: they
 * never throw, and what they show loses no byte, key or digit of what was received.
 */

const RUNS = { numRuns: 500, interruptAfterTimeLimit: 20_000 };

/** JSON text with random whitespace and numbers written as senders write them (`29.0`, `1e400`). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('true', 'false', 'null', '29.0', '-0', '1e400', '12345678901234567890', '0.10'),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.string({ unit: 'grapheme' }).map((s) => JSON.stringify(s)),
    fc
      .array(fc.tuple(fc.string(), tie('value'), fc.constantFrom('', ' ', '\n  ', '\t')), {
        maxLength: 5,
      })
      .map(
        (entries) =>
          `{${entries.map(([k, v, ws]) => `${ws}${JSON.stringify(k)}${ws}:${ws}${v}${ws}`).join(',')}}`,
      ),
    fc
      .array(fc.tuple(tie('value'), fc.constantFrom('', ' ', '\r\n')), { maxLength: 5 })
      .map((items) => `[${items.map(([v, ws]) => `${ws}${v}${ws}`).join(',')}]`),
  ),
})).value;

/** Every key and every number/literal as written, in document order. */
function tokens(node: JsonNode): string[] {
  switch (node.kind) {
    case 'object':
      return node.entries.flatMap(([key, value]) => [`k:${key}`, ...tokens(value)]);
    case 'array':
      return node.items.flatMap(tokens);
    case 'string':
      return [`s:${node.value}`];
    default:
      return [`r:${node.raw}`];
  }
}

describe('UI JSON display parser', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), jsonText, fc.string({ unit: 'binary' })), (text) => {
        parseJsonText(text);
      }),
      RUNS,
    );
  });

  it('reads every JSON text JSON.parse accepts, keeping every key (repeated ones too) and number as written', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const parsed = parseJsonText(text);
        expect(parsed).not.toBeNull();
        const printed = printJson(parsed!.root);
        // Printing and reading again gives the same keys, strings and raw numbers, in order.
        expect(tokens(parseJsonText(printed)!.root)).toEqual(tokens(parsed!.root));
        // And the same value JSON.parse sees in the original.
        expect(JSON.parse(printed)).toEqual(JSON.parse(text));
      }),
      RUNS,
    );
  });

  it('shows a document nested deeper than the view allows as text (null), not an exception', () => {
    for (const depth of [501, 10_000, 1_000_000]) {
      expect(parseJsonText('['.repeat(depth) + ']'.repeat(depth))).toBeNull();
      expect(parseJsonText('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))).toBeNull();
    }
    expect(parseJsonText('['.repeat(500) + ']'.repeat(500))).not.toBeNull();
  });
});

const ascii = (text: string) => new TextEncoder().encode(text);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

function occurrences(haystack: Uint8Array, needle: Uint8Array): number {
  let count = 0;
  for (let at = Buffer.from(haystack).indexOf(needle); at !== -1; count++) {
    at = Buffer.from(haystack).indexOf(needle, at + 1);
  }
  return count;
}

describe('UI multipart display parser', () => {
  const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/);

  it('never throws on any bytes and any boundary', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        fc.string({ maxLength: 80 }),
        (body, contentTypeBoundary) => {
          const found = boundaryOf(`multipart/form-data; boundary=${contentTypeBoundary}`);
          const parts = parseMultipart(body, found ?? contentTypeBoundary);
          for (const part of parts) expect(contains(body, part.bytes)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('returns every part of a well-formed body with its exact bytes, names and headers', () => {
    fc.assert(
      fc.property(
        boundary,
        fc.array(
          fc.record({
            name: fc.stringMatching(/^[A-Za-z0-9_ .[\]-]{0,20}$/),
            filename: fc.option(fc.stringMatching(/^[A-Za-z0-9_ .-]{1,20}$/), { nil: null }),
            type: fc.constantFrom('', 'text/plain', 'application/octet-stream'),
            bytes: fc.uint8Array({ maxLength: 512 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.boolean(),
        (boundary, parts, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const delimiter = ascii(`--${boundary}`);
          const body = concat([
            ...parts.flatMap((part) => [
              ascii(`--${boundary}${eol}`),
              ascii(
                `Content-Disposition: form-data; name="${part.name}"${part.filename === null ? '' : `; filename="${part.filename}"`}${eol}`,
              ),
              ascii(part.type === '' ? '' : `Content-Type: ${part.type}${eol}`),
              ascii(eol),
              part.bytes,
              ascii(eol),
            ]),
            ascii(`--${boundary}--${eol}`),
          ]);
          // A body that holds the delimiter elsewhere is not multipart: senders pick another.
          fc.pre(occurrences(body, delimiter) === parts.length + 1);
          const read = parseMultipart(
            body,
            boundaryOf(`multipart/form-data; boundary="${boundary}"`)!,
          );
          expect(read).toHaveLength(parts.length);
          read.forEach((part, i) => {
            expect(Buffer.from(part.bytes).equals(Buffer.from(parts[i]!.bytes))).toBe(true);
            expect(part.name).toBe(parts[i]!.name);
            expect(part.filename).toBe(parts[i]!.filename);
            expect(part.contentType).toBe(parts[i]!.type);
          });
        },
      ),
      RUNS,
    );
  });
});
