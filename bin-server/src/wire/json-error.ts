import type { JsonError } from '../store/types.js';

/** JSON.parse's verdict on a prefix: does it still read as the start of some JSON text? */
function isValidStart(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    // V8 reports running out of input as "Unexpected end…" or as a position at the very end.
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    return message.startsWith('Unexpected end') || (at !== null && Number(at[1]) >= prefix.length);
  }
}

/** The position JSON.parse's message names, if it names one (no extra parse needed). */
export function namedPosition(text: string, message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), text.length);
  if (message.startsWith('Unexpected end')) return text.length;
  return undefined;
}

/**
 * The character where `text` stops being JSON when V8 does not say ("Unexpected token 'x', "…"
 * is not valid JSON"): the shortest prefix that is no longer the start of a JSON text ends there
 * (a binary search: every longer prefix fails too, and each parse stops at the error). It costs
 * up to ~20 parses of the text before the error, so large bodies are placed when read, not when
 * captured.
 */
export function searchedPosition(text: string): number {
  let valid = 0;
  let invalid = text.length;
  while (invalid - valid > 1) {
    const middle = (valid + invalid) >>> 1;
    if (isValidStart(text.slice(0, middle))) valid = middle;
    else invalid = middle;
  }
  return invalid - 1;
}

/** A position in `text` as a 1-based line and column (UTF-16 code units, as JavaScript counts). */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

/**
 * A stored JSON error with its place: one captured without it (a large body V8 did not place)
 * gets it from the body when the request is read whole.
 */
export function placedJsonError(error: JsonError, body: Uint8Array): JsonError {
  if (error.line !== undefined) return error;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return { ...error, ...lineAndColumn(text, searchedPosition(text)) };
}
