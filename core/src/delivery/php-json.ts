// The exact bytes of PHP's `json_encode($value)` with default flags, which is what WordPress's
// `wp_json_encode()` calls (flags 0, depth 512) and what the plugin posts as a webhook body.
//
// Facts (PHP 8.2 ext/json/json_encoder.c, main/snprintf.c php_gcvt; checked against real
// php-cli by tests/core/php-json.test.ts):
// - `/` is escaped as `\/`; every non-ASCII character as `\uXXXX` in lowercase hex, astral
//   characters as a UTF-16 surrogate pair; `\b \f \n \r \t`, other controls as `\u00XX`;
//   DEL (0x7f) stays raw; no spaces anywhere.
// - Floats use serialize_precision -1: the shortest digits that round-trip, fixed notation
//   while the decimal exponent is in [-4, 17), else `1.0e+25` / `1.5e-7` style.
//   Without JSON_PRESERVE_ZERO_FRACTION an integral float is written WITHOUT `.0`:
//   `json_encode(29.0)` is `29`. `floatKeys` therefore only changes -0.0 (`-0`) and integral
//   floats of 1e17 and beyond (`1.0e+17`), which PHP holds as floats but JS cannot tell apart.
// - PHP arrays: an empty array is `[]` (a plugin payload is an array, never stdClass), and an
//   array whose keys are exactly 0..n-1 in order is a list.
// - NaN and ±Infinity make json_encode fail; so does this encoder.

export interface PhpJsonOptions {
  /** Object keys (at any depth) whose numbers PHP holds as floats (e.g. `*_raw` amounts). */
  floatKeys?: ReadonlySet<string>;
}

const ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x2f: '\\/',
  0x5c: '\\\\',
};

function hex4(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

function encodeString(text: string): string {
  let out = '"';
  let plainStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const needsEscape = code < 0x20 || code > 0x7e ? code !== 0x7f : code in ESCAPES;
    if (!needsEscape) continue;
    out += text.slice(plainStart, i) + (ESCAPES[code] ?? hex4(code));
    plainStart = i + 1;
  }
  return out + text.slice(plainStart) + '"';
}

const INT64_LIMIT = 2 ** 63;

/** PHP's php_gcvt(value, 17, '.', 'e') in mode 0 (shortest round-trip digits). */
function formatPhpFloat(value: number): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`Cannot encode ${value} as JSON: PHP's json_encode fails on it too.`);
  }
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, like zend_dtoa mode 0.
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exponentText) + 1; // position of the decimal point after the first digit
  if (decpt < -3 || decpt > 17) {
    const exponent = decpt - 1;
    const fraction = digits.length > 1 ? digits.slice(1) : '0';
    return `${sign}${digits[0]}.${fraction}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return sign + digits + '0'.repeat(decpt - digits.length);
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function encodeNumber(value: number, asFloat: boolean): string {
  if (!asFloat && Number.isInteger(value) && Math.abs(value) < INT64_LIMIT) {
    // A PHP int: exact digits (BigInt avoids 1e+21 notation for large safe values).
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  return formatPhpFloat(value);
}

function isPhpList(keys: string[]): boolean {
  return keys.every((key, index) => key === String(index));
}

function encodeValue(
  value: unknown,
  floatKeys: ReadonlySet<string>,
  asFloat: boolean,
  seen: Set<object>,
): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return encodeNumber(value, asFloat);
    case 'bigint':
      if (value >= -(2n ** 63n) && value < 2n ** 63n) return value.toString();
      throw new TypeError(`Cannot encode ${value}: beyond PHP's 64-bit integers.`);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined; // skipped in objects, null in arrays (as JSON.stringify does)
  }
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return encodeValue((object as { toJSON(): unknown }).toJSON(), floatKeys, asFloat, seen);
  }
  if (seen.has(object)) throw new TypeError('Cannot encode a circular structure as JSON.');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.map(
        (item: unknown) => encodeValue(item, floatKeys, false, seen) ?? 'null',
      );
      return `[${items.join(',')}]`;
    }
    const entries: Array<[string, string]> = [];
    for (const [key, item] of Object.entries(object)) {
      const encoded = encodeValue(item, floatKeys, floatKeys.has(key), seen);
      if (encoded !== undefined) entries.push([key, encoded]);
    }
    const keys = entries.map(([key]) => key);
    if (isPhpList(keys)) return `[${entries.map(([, encoded]) => encoded).join(',')}]`;
    return `{${entries.map(([key, encoded]) => `${encodeString(key)}:${encoded}`).join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/** `json_encode($value)` as PHP (and so WordPress's `wp_json_encode`) writes it. */
export function encodePhpJson(value: unknown, options: PhpJsonOptions = {}): string {
  const encoded = encodeValue(value, options.floatKeys ?? new Set(), false, new Set());
  if (encoded === undefined) throw new TypeError(`Cannot encode ${typeof value} as JSON.`);
  return encoded;
}
