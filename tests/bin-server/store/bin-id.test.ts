import { describe, expect, it } from 'vitest';
import { BIN_ID_PATTERN, isValidBinId, newBinId } from '../../../bin-server/src/store/bin-id.js';
import { observedBits } from '../../support/id-randomness.js';

describe('generated bin ids', () => {
  const ids = Array.from({ length: 20_000 }, () => newBinId());

  it('are 22 URL-safe characters that the bin id pattern accepts', () => {
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(BIN_ID_PATTERN.test(id)).toBe(true);
    }
  });

  it('carry at least 128 random bits and never repeat', () => {
    expect(new Set(ids).size).toBe(ids.length);
    // 64 characters at each of the 22 positions: 132 bits (the former randomBytes(16): 128).
    expect(observedBits(ids)).toBeGreaterThanOrEqual(128);
  });

  it('leave ids made before nanoid and custom ids valid', () => {
    // randomBytes(16).toString('base64url'), as bins were named before.
    expect(isValidBinId('3q2-7wQ9Zx_VbT0aLkM1yA')).toBe(true);
    expect(isValidBinId('my-shop')).toBe(true);
  });
});
