import { randomBytes } from 'node:crypto';

// Shared by every part (capture URLs, the API, live subscriptions): one definition of a bin id.

/** Custom and generated bin ids: letters, digits, `-` and `_`, 4 to 64 characters. */
export const BIN_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

export function isValidBinId(id: string): boolean {
  return BIN_ID_PATTERN.test(id);
}

/** 128 random bits as 22 base64url characters: unguessable, so capture URLs can stay open. */
export function newBinId(): string {
  return randomBytes(16).toString('base64url');
}
