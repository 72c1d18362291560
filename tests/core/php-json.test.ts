import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodePhpJson, getEvent } from '../../core/src/index.js';
import { commandWorks, need } from '../support/requirements.js';

const fixturePath = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/events.json',
);
const fixtureText = fs.readFileSync(fixturePath, 'utf8');
const fixture = JSON.parse(fixtureText) as {
  events: Array<{ id: string; payload_example: Record<string, unknown> }>;
};

function floatKeysOf(eventId: string): Set<string> {
  const fields = getEvent(eventId)?.fields ?? [];
  return new Set(fields.filter((field) => field.encodesAsFloat).map((field) => field.key));
}

/** `json_encode()` by real PHP of each element of a JSON list given as raw text, one per line. */
function phpEncodeEach(listJson: string): string[] {
  const script =
    '$items = json_decode(file_get_contents("php://stdin"), true, 512, JSON_THROW_ON_ERROR);' +
    'foreach ($items as $item) { echo json_encode($item), "\\n"; }';
  return execFileSync('php', ['-r', script], { input: listJson })
    .toString('utf8')
    .split('\n')
    .slice(0, -1);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('encodePhpJson: facts checked once against PHP 8.2', () => {
  it.each([
    [{ a: '/path/é' }, '{"a":"\\/path\\/\\u00e9"}'],
    [{ e: '😀' }, '{"e":"\\ud83d\\ude00"}'],
    [{ c: '\u0001\u001f\b\f\n\r\t"\\' }, '{"c":"\\u0001\\u001f\\b\\f\\n\\r\\t\\"\\\\"}'],
    [{ del: '\u007f', html: "<img alt='' />&" }, '{"del":"\u007f","html":"<img alt=\'\' \\/>&"}'],
    [{ list: [], map: {} }, '{"list":[],"map":[]}'],
    [{ 0: 'a', 1: 'b' }, '["a","b"]'],
    [{ 1: 'a' }, '{"1":"a"}'],
    [
      { n: 29, f: 0.1, big: 1e25, small: 1e-7, mid: 1e-4, neg: -1.5e-5 },
      '{"n":29,"f":0.1,"big":1.0e+25,"small":1.0e-7,"mid":0.0001,"neg":-1.5e-5}',
    ],
    [{ x: Number('123456789012345678') }, '{"x":123456789012345680}'], // JS cannot hold the exact int; PHP's int of that double
    [{ u: undefined, keep: null, t: true, f: false }, '{"keep":null,"t":true,"f":false}'],
  ])('%j → %s', (value, expected) => {
    expect(encodePhpJson(value)).toBe(expected);
  });

  it('writes integral floats like PHP without JSON_PRESERVE_ZERO_FRACTION', () => {
    const floatKeys = new Set(['amount', 'zero', 'huge']);
    expect(encodePhpJson({ amount: 29, zero: -0, huge: 1e17, int: 1e17 }, { floatKeys })).toBe(
      '{"amount":29,"zero":-0,"huge":1.0e+17,"int":100000000000000000}',
    );
  });

  it('refuses what json_encode cannot encode', () => {
    expect(() => encodePhpJson({ a: Number.NaN })).toThrow(/json_encode fails/);
    expect(() => encodePhpJson({ a: Infinity })).toThrow(/json_encode fails/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodePhpJson(loop)).toThrow(/circular/);
  });
});

const hasPhp = need('php', commandWorks('php', ['-v']), 'apt-get install php-cli');

describe.runIf(hasPhp)('encodePhpJson matches real PHP json_encode', () => {
  it('on every example payload of the event fixture (parsed from the raw text, so 29.0 stays a float)', () => {
    // PHP reads the fixture text itself: "29.0" becomes a PHP float, "29" an int.
    const script =
      '$d = json_decode(file_get_contents("php://stdin"), true, 512, JSON_THROW_ON_ERROR);' +
      'foreach ($d["events"] as $e) { echo json_encode($e["payload_example"]), "\\n"; }';
    const php = execFileSync('php', ['-r', script], { input: fixtureText })
      .toString('utf8')
      .split('\n');
    expect(fixture.events.length).toBeGreaterThan(20);
    fixture.events.forEach((event, index) => {
      expect(
        encodePhpJson(event.payload_example, { floatKeys: floatKeysOf(event.id) }),
        event.id,
      ).toBe(php[index]);
    });
  });

  it('on tricky hand-written input', () => {
    // Keys starting with f_ hold float literals (PHP floats); the encoder is told so.
    const raw = String.raw`[{"a":29,"f_b":1e25,"f_c":0.1,"f_d":-0.0,"f_e":1e-7,"f_f":123456789012345678.0,
      "f_g":1.5e300,"h":"é/😀\u007f\u0001\u001f\b\f\n\r\t\"\\<>&'","i":[],"j":{},"f_k":1e15,"f_l":1e16,
      "f_m":0.00001,"f_m2":0.0001,"o":{"0":"a","1":"b"},"p":{"1":"a"},"f_q":5e-324,
      "f_r":1.7976931348623157e308,"f_s":123.456,"f_t":29.0,"f_u":1e17,"f_v":-1.5e-5,
      "f_w":100000000000000000000,"x":[1,[2,{}],null,true,false],"ü":"\ud83d\ude00 \u2028",
      "f_y":0.30000000000000004,"f_z":1234567.0e-3,"nested":{"f_t":29.0,"list":[{"f_s":0.5}]},
      "n":-9007199254740991}]`;
    const [php] = phpEncodeEach(raw);
    const value = (JSON.parse(raw) as Array<Record<string, unknown>>)[0]!;
    const floatKeys = new Set([
      'f_b',
      'f_c',
      'f_d',
      'f_e',
      'f_f',
      'f_g',
      'f_k',
      'f_l',
      'f_m',
      'f_m2',
      'f_q',
      'f_r',
      'f_s',
      'f_t',
      'f_u',
      'f_v',
      'f_w',
      'f_y',
      'f_z',
    ]);
    expect(encodePhpJson(value, { floatKeys })).toBe(php);
  });

  it('on 400 seeded random doubles and strings', () => {
    const random = seeded(20240611);
    const bits = new DataView(new ArrayBuffer(8));
    const values: unknown[] = [];
    while (values.length < 200) {
      bits.setUint32(0, Math.floor(random() * 2 ** 32));
      bits.setUint32(4, Math.floor(random() * 2 ** 32));
      const double = bits.getFloat64(0);
      // JS cannot tell PHP's ints in [2^53, 2^63) apart from floats; those come from integer text.
      const ambiguous =
        Number.isInteger(double) && Math.abs(double) >= 2 ** 53 && Math.abs(double) < 2 ** 63;
      if (Number.isFinite(double) && !ambiguous) values.push(double);
    }
    const ranges = [
      [0, 0x20],
      [0x20, 0x7f],
      [0x7f, 0x100],
      [0x100, 0xd800],
      [0xe000, 0x10000],
      [0x10000, 0x110000],
    ];
    for (let i = 0; i < 200; i++) {
      let text = '';
      for (let n = Math.floor(random() * 12); n > 0; n--) {
        const [from, to] = ranges[Math.floor(random() * ranges.length)]!;
        text += String.fromCodePoint(from! + Math.floor(random() * (to! - from!)));
      }
      values.push({ [text || 'k']: text });
    }
    const php = phpEncodeEach(JSON.stringify(values));
    values.forEach((value, index) =>
      expect(encodePhpJson([value]), JSON.stringify(value)).toBe(`[${php[index]}]`),
    );
  });
});
