import type { Candidate } from './types.js';
// STUB
export function identify(_body: unknown): Candidate[] {
  return [];
}
