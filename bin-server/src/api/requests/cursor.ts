import { invalidRequest } from '../http/errors.js';

// Cursors are opaque to clients: today the store's `before` sequence number, versioned so the
// format can change without breaking links that clients kept.

export function encodeCursor(before: number): string {
  return Buffer.from(JSON.stringify({ v: 1, before }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const before = (parsed as { v?: unknown; before?: unknown } | undefined)?.before;
  if (
    (parsed as { v?: unknown } | undefined)?.v !== 1 ||
    typeof before !== 'number' ||
    !Number.isSafeInteger(before) ||
    before < 1
  ) {
    throw invalidRequest(
      'cursor',
      'Invalid query parameter "cursor": it is not a cursor from this API. Pass the previous page\'s next_cursor unchanged, or omit it for the first page.',
    );
  }
  return before;
}
