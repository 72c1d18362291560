import { nanoid } from 'nanoid';

// Shared by every part (capture URLs, the API, live subscriptions): one definition of a bin id.

/** Custom and generated bin ids: letters, digits, `-` and `_`, 4 to 64 characters. */
export const BIN_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

export function isValidBinId(id: string): boolean {
  return BIN_ID_PATTERN.test(id);
}

/** Characters of a generated bin id: 22 of nanoid's 64 (6 bits each) = 132 random bits ≥ 128. */
const BIN_ID_LENGTH = 22;

/** Unguessable (≥ 128 random bits, nanoid's URL-safe alphabet), so capture URLs can stay open. */
export function newBinId(): string {
  return nanoid(BIN_ID_LENGTH);
}
