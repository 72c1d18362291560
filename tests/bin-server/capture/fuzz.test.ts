import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../bin-server/src/server.js';
import { exchangeRaw, parseResponses } from '../../support/raw-http.js';
import { startTestServer } from '../../support/server.js';

/**
 * A bounded, seeded fuzz of the capture path over raw TCP: random methods, paths, queries, header
 * sets, bodies, framings (Content-Length or chunked, split anywhere), pipelining and TCP
 * segmentation. Every request the server acknowledges (200 with an x-request-id) must read back
 * byte for byte; every other answer must have stored nothing.
 *
 * UMHOOKS_FUZZ_SEED and UMHOOKS_FUZZ_RUNS replay or widen it; a failure prints its seed.
 */

const SEED = Number(process.env.UMHOOKS_FUZZ_SEED ?? 15_2026);
const RUNS = Number(process.env.UMHOOKS_FUZZ_RUNS ?? 120);
const LIMIT = 256 * 1024;
let server: RunningServer;

const tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Header names the generator leaves alone: it sets the framing and connection itself. */
const FRAMING = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'expect',
  'upgrade',
]);

const methods = http.METHODS.filter((m) => m !== 'CONNECT' && m !== 'HEAD');
const method = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...methods) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/) },
);
const pathChar = fc.oneof(
  fc.constantFrom(
    ..."abcXYZ019-._~!$&'()*+,;=:@".split(''),
    '/',
    '//',
    '..',
    '%20',
    '%2F',
    '%00',
    '%E2%82%AC',
    '%zz',
  ),
);
const subPath = fc.array(pathChar, { maxLength: 12 }).map((parts) => parts.join(''));
const query = fc.option(
  fc.array(fc.oneof(pathChar, fc.constantFrom('?', '=', '&', '%3D')), { maxLength: 12 }),
  { nil: undefined },
);
const headerName = fc
  .array(fc.constantFrom(...tchar.split('')), { minLength: 1, maxLength: 16 })
  .map((chars) => chars.join(''))
  .filter((name) => !FRAMING.has(name.toLowerCase()));
/** Visible ASCII and obs-text, spaces and tabs inside only (node trims the ends, as it must). */
const headerValue = fc
  .array(fc.integer({ min: 0x20, max: 0xff }), { maxLength: 40 })
  .map((codes) =>
    String.fromCharCode(...codes.map((c) => (c === 0x7f ? 0x09 : c))).replace(
      /^[ \t]+|[ \t]+$/g,
      '',
    ),
  );
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 10 });
const body = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 100_000 }).map((n) => new Uint8Array(n).fill(0x7a)),
  },
);
const framing = fc.oneof(
  fc.constant({ kind: 'length' as const }),
  fc.record({
    kind: fc.constant('chunked' as const),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
    extension: fc.boolean(),
  }),
);
const request = fc.record({ method, subPath, query, headers, body, framing });
const connection = fc.record({
  requests: fc.array(request, { minLength: 1, maxLength: 4 }),
  /** Where the wire bytes are split into separate writes (TCP segments). */
  splits: fc.array(fc.nat(), { maxLength: 6 }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function chunked(bytes: Uint8Array, cuts: number[], extension: boolean): Buffer {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))]
    .filter((p) => p > 0)
    .sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    if (to === from) continue;
    pieces.push(
      Buffer.from(`${(to - from).toString(16)}${extension ? ';x=1' : ''}\r\n`),
      Buffer.from(bytes.subarray(from, to)),
      Buffer.from('\r\n'),
    );
    from = to;
  }
  pieces.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(pieces);
}

/** The request on the wire and the raw header list node should report for it. */
function wire(
  bin: string,
  req: FuzzRequest,
  last: boolean,
): { bytes: Buffer; rawHeaders: string[]; path: string; query: string } {
  const path = `/${req.subPath}`.replace(/^\/+/, '/');
  const queryText = req.query === undefined ? undefined : req.query.join('');
  const target = `/b/${bin}${path === '/' ? '' : path}${queryText === undefined ? '' : `?${queryText}`}`;
  const fields: Array<[string, string]> = [['Host', '127.0.0.1'], ...req.headers];
  let payload: Buffer;
  if (req.framing.kind === 'length') {
    fields.push(['Content-Length', String(req.body.length)]);
    payload = Buffer.from(req.body);
  } else {
    fields.push(['Transfer-Encoding', 'chunked']);
    payload = chunked(req.body, req.framing.cuts, req.framing.extension);
  }
  if (last) fields.push(['Connection', 'close']);
  const head = `${req.method} ${target} HTTP/1.1\r\n${fields.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return {
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), payload]),
    rawHeaders: fields.flat(),
    path: path === '/' && !target.slice(`/b/${bin}`.length).startsWith('/') ? '/' : path,
    query: queryText ?? '',
  };
}

function splitAt(bytes: Buffer, splits: number[]): Buffer[] {
  const points = [...new Set(splits.map((s) => s % bytes.length))]
    .filter((p) => p > 0)
    .sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, to));
    from = to;
  }
  return pieces;
}

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: LIMIT, maxRequests: 1000 });
});
afterAll(async () => {
  await server.close();
});

describe('capture fuzz', () => {
  it(`reads back every acknowledged request byte for byte (seed ${SEED}, ${RUNS} connections)`, async () => {
    const tally = { acknowledged: 0, refused: 0 };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(connection, async ({ requests, splits }) => {
        const bin = `fuzz-${run++}`;
        await server.context.store.bins.create({ id: bin, name: bin, now: Date.now() });
        const sent = requests.map((req, i) => ({
          req,
          ...wire(bin, req, i === requests.length - 1),
        }));
        const raw = await exchangeRaw(
          server.url,
          splitAt(Buffer.concat(sent.map((s) => s.bytes)), splits),
        );
        const responses = parseResponses(raw);
        expect(responses.length).toBeLessThanOrEqual(sent.length);
        const acknowledged = new Set<string>();
        for (const [i, response] of responses.entries()) {
          if (response.status !== 200) {
            tally.refused++;
            continue;
          }
          tally.acknowledged++;
          const id = response.headers['x-request-id']!;
          acknowledged.add(id);
          const stored = await server.context.store.requests.get(bin, id);
          const expected = sent[i]!;
          expect(stored, `request ${i} (${id})`).toBeDefined();
          expect(stored!.method).toBe(expected.req.method);
          expect(stored!.path).toBe(expected.path);
          expect(stored!.query).toBe(expected.query);
          expect(stored!.rawHeaders).toEqual(expected.rawHeaders);
          expect(Buffer.from(stored!.body).equals(Buffer.from(expected.req.body))).toBe(true);
        }
        // Nothing that was not acknowledged was stored.
        const page = await server.context.store.requests.list(bin, {
          limit: 10,
          includeBody: false,
        });
        expect(page.items.map((item) => item.id).sort()).toEqual([...acknowledged].sort());
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 60_000, endOnFailure: true },
    );
    console.log(`capture fuzz: ${tally.acknowledged} acknowledged, ${tally.refused} refused`);
    // The generator mostly makes valid requests: a fuzz that only hits errors tests nothing.
    expect(tally.acknowledged).toBeGreaterThan(tally.refused);
  }, 120_000);
});
