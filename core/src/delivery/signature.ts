// Standard Webhooks v1 (standardwebhooks.com, spec 1.0.0): HMAC-SHA256 over
// `${id}.${timestamp}.${body}` with the key decoded from a `whsec_<base64>` secret.
import {
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type Hmac,
  type KeyObject,
} from 'node:crypto';

export type VerificationFailure =
  'missing-header' | 'bad-timestamp' | 'too-old' | 'too-new' | 'no-signature' | 'no-match';

/** The message is not authentic or not fresh; answer 400/401 and do not process it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: VerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

export type WebhookBody = string | Uint8Array;

/** A plain header object (any case) or anything with `get(name)`, like fetch's `Headers`. */
export type HeaderSource =
  Record<string, string | string[] | undefined> | { get(name: string): string | null };

const SECRET_PREFIX = 'whsec_';
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** The HMAC key inside a secret; `whsec_` is optional, the rest must be standard base64. */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new TypeError(
      'The webhook secret is malformed: expected `whsec_` followed by base64 key bytes ' +
        '(generate one with generateSecret()).',
    );
  }
  return Buffer.from(encoded, 'base64');
}

/** `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function hmacOf(key: Buffer | KeyObject, id: string, timestamp: number, body: WebhookBody): Hmac {
  // Sign the exact bytes: a byte body as it is (re-encoding it as text would change non-UTF-8
  // input), a text body as its UTF-8 bytes, which update() produces without an extra copy.
  const hmac = createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8');
  return typeof body === 'string' ? hmac.update(body, 'utf8') : hmac.update(body);
}

function digest(key: Buffer, id: string, timestamp: number, body: WebhookBody): Buffer {
  return hmacOf(key, id, timestamp, body).digest();
}

/**
 * The keys of the secrets signed with lately: a sender signs every message of a webhook with the
 * same secret, and checking and decoding it each time cost a tenth of signing.
 */
const signingKeys = new Map<string, KeyObject>();

function signingKey(secret: string): KeyObject {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = createSecretKey(secretKey(secret));
    if (signingKeys.size >= 256) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(secret, key);
  }
  return key;
}

/** The `webhook-signature` header value: `v1,<base64 HMAC>`. */
export function sign(input: {
  secret: string;
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: WebhookBody;
}): string {
  if (input.id === '' || /\s/.test(input.id)) {
    throw new TypeError('The webhook id must be a non-empty string without spaces.');
  }
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new TypeError(
      `The webhook timestamp must be whole unix seconds (got ${String(input.timestamp)}).`,
    );
  }
  const key = signingKey(input.secret);
  return `v1,${hmacOf(key, input.id, input.timestamp, input.body).digest('base64')}`;
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

/** `webhook-*` headers, or the `svix-*` names Svix uses for the same scheme. */
function readWebhookHeader(headers: HeaderSource, field: string): string | undefined {
  return readHeader(headers, `webhook-${field}`) ?? readHeader(headers, `svix-${field}`);
}

/**
 * Checks a received message; throws `WebhookVerificationError` saying what is wrong.
 * `now` is unix seconds (default: the clock). Several space-separated signatures are accepted
 * (secret rotation); non-`v1` entries such as `v1a,` are ignored.
 */
export function verify(input: {
  secret: string;
  headers: HeaderSource;
  body: WebhookBody;
  toleranceSeconds?: number;
  now?: number;
}): { id: string; timestamp: number } {
  const key = secretKey(input.secret);
  const id = readWebhookHeader(input.headers, 'id');
  const timestampText = readWebhookHeader(input.headers, 'timestamp');
  const signatures = readWebhookHeader(input.headers, 'signature');
  const missing = [
    id === undefined || id === '' ? 'webhook-id' : undefined,
    timestampText === undefined || timestampText === '' ? 'webhook-timestamp' : undefined,
    signatures === undefined || signatures.trim() === '' ? 'webhook-signature' : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || id === undefined || timestampText === undefined || !signatures) {
    throw new WebhookVerificationError(
      'missing-header',
      `Missing required header(s): ${missing.join(', ')}.`,
    );
  }

  if (!/^\d{1,15}$/.test(timestampText.trim())) {
    throw new WebhookVerificationError(
      'bad-timestamp',
      `webhook-timestamp must be whole unix seconds (got "${timestampText.slice(0, 40)}").`,
    );
  }
  const timestamp = Number(timestampText.trim());
  const now = Math.floor(input.now ?? Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'too-old',
      `The message timestamp is ${now - timestamp} s old (tolerance ${tolerance} s): replayed or delayed.`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      'too-new',
      `The message timestamp is ${timestamp - now} s in the future (tolerance ${tolerance} s): check the sender's clock.`,
    );
  }

  const expected = digest(key, id, timestamp, input.body);
  const candidates = signatures
    // Space-separated; a fetch Headers joins a repeated header with ", " (a `v1,<base64>` entry
    // itself never holds ", "), which would otherwise glue a comma to a signature.
    .replace(/,\s+(?=v\d)/g, ' ')
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3));
  if (candidates.length === 0) {
    throw new WebhookVerificationError(
      'no-signature',
      'webhook-signature has no `v1,` signature (only other schemes, or malformed entries).',
    );
  }
  const matched = candidates.some((candidate) => {
    const bytes = BASE64.test(candidate) ? Buffer.from(candidate, 'base64') : Buffer.alloc(0);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
  if (!matched) {
    throw new WebhookVerificationError(
      'no-match',
      'No signature matches: the body was changed, or the secret is not the one the sender uses.',
    );
  }
  return { id, timestamp };
}
