import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../../bin-server/src/capture/request-id.js';
import { observedBits } from '../../support/id-randomness.js';

const FORMAT = /^req_([0-9a-z]{9})([A-Za-z0-9_-]{16})$/;

describe('request ids', () => {
  const now = Date.now();
  const ids = Array.from({ length: 20_000 }, (_, i) => newRequestId(now + Math.floor(i / 100)));

  it('are req_, the clock in 9 base-36 digits, then 16 URL-safe characters', () => {
    for (const id of ids) expect(id).toMatch(FORMAT);
    expect(parseInt(FORMAT.exec(newRequestId(now))![1]!, 36)).toBe(now);
  });

  it('carry 96 random bits and never repeat, even within one millisecond', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const randomParts = ids.map((id) => FORMAT.exec(id)![2]!);
    expect(observedBits(randomParts)).toBeGreaterThanOrEqual(96);
  });

  it('sort by time: a later millisecond sorts after every earlier id', () => {
    const earlier = Array.from({ length: 500 }, () => newRequestId(now));
    const later = Array.from({ length: 500 }, () => newRequestId(now + 1));
    const latest = [...earlier].sort().at(-1)!;
    for (const id of later) expect(id > latest).toBe(true);
    // Across a base-36 digit boundary too (35 → 36 ms rolls the last digit over).
    expect(newRequestId(36) > newRequestId(35)).toBe(true);
  });
});
