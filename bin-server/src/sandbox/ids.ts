import { customAlphabet } from 'nanoid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 Crockford base32 characters (5 bits each) = a ULID's 80 random bits, from nanoid's pool. */
const randomPart = customAlphabet(CROCKFORD, 16);

/**
 * A delivery id, also sent as `webhook-id` (the receiver's idempotency key): `msg_` and a ULID —
 * 48 bits of milliseconds then 80 random bits, in Crockford base32. Time-ordered ids keep the
 * outbox's id index append-only (random ids scatter every insert across the index). The format
 * is the one stored ids already have: keep it.
 */
export function newDeliveryId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return `msg_${time}${randomPart()}`;
}
