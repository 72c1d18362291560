import { describe, expect, it } from 'vitest';
import { newDeliveryId } from '../../../bin-server/src/sandbox/ids.js';
import { observedBits } from '../../support/id-randomness.js';

const CROCKFORD = '[0-9A-HJKMNP-TV-Z]';
const FORMAT = new RegExp(`^msg_(${CROCKFORD}{10})(${CROCKFORD}{16})$`);

/** A ULID's time part back to milliseconds. */
function decodeTime(time: string): number {
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...time].reduce((ms, c) => ms * 32 + digits.indexOf(c), 0);
}

describe('delivery ids (sent as webhook-id)', () => {
  const now = Date.now();
  const ids = Array.from({ length: 20_000 }, (_, i) => newDeliveryId(now + Math.floor(i / 100)));

  it('keep the ULID format stored ids have: msg_, 10 time then 16 random Crockford characters', () => {
    for (const id of ids) expect(id).toMatch(FORMAT);
    expect(decodeTime(FORMAT.exec(newDeliveryId(now))![1]!)).toBe(now);
    // An id made before nanoid keeps matching.
    expect('msg_01KBSN7J5E8ZTW4Y3QH2VX6M9C').toMatch(FORMAT);
  });

  it('carry 80 random bits and never repeat, even within one millisecond', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const randomParts = ids.map((id) => FORMAT.exec(id)![2]!);
    expect(observedBits(randomParts)).toBeGreaterThanOrEqual(80);
  });

  it('sort by time', () => {
    const earlier = Array.from({ length: 500 }, () => newDeliveryId(now));
    const latest = [...earlier].sort().at(-1)!;
    for (let i = 0; i < 500; i++) expect(newDeliveryId(now + 1) > latest).toBe(true);
    expect(newDeliveryId(32) > newDeliveryId(31)).toBe(true);
  });
});
