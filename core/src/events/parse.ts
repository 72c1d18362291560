import type { ParseResult } from './types.js';
// STUB
export function parsePayload(_eventId: string, _body: unknown): ParseResult {
  throw new Error('not implemented');
}
