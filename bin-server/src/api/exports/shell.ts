// Quoting for commands that are copied from a browser and pasted into a terminal. What is shown
// is exactly what runs: control characters (a terminal could act on ESC or CR), bidi overrides
// and zero-width characters never appear literally; they are escaped.

/** Control, format (bidi, zero-width), surrogate, private-use, unassigned, line/paragraph separators. */
const HIDDEN = /[\p{C}\p{Zl}\p{Zp}]/u;
const HIDDEN_EXCEPT_NEWLINE = /[^\P{C}\n]|[\p{Zl}\p{Zp}]/u;

/** True when the text can be shown and pasted literally (optionally keeping line breaks). */
export function isPasteSafe(text: string, allowNewlines = false): boolean {
  return !(allowNewlines ? HIDDEN_EXCEPT_NEWLINE : HIDDEN).test(text);
}

/** `'…'`: POSIX single quotes, where nothing but `'` is special. */
export function singleQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `$'…'` (bash, zsh, ksh): any bytes except NUL, with every non-printable byte as `\xHH`. */
export function ansiCQuote(bytes: Uint8Array): string {
  let out = "$'";
  for (const byte of bytes) {
    if (byte === 0x27) out += "\\'";
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

function octal(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += `\\${byte.toString(8).padStart(3, '0')}`;
  return out;
}

function printfByte(byte: number): string {
  if (byte === 0x25) return '%%';
  if (byte === 0x5c) return '\\\\';
  if (byte === 0x0a) return '\\n';
  if (byte === 0x09) return '\\t';
  if (byte === 0x0d) return '\\r';
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return octal(Uint8Array.of(byte));
}

/**
 * A printf(1) format that prints exactly `bytes` (NUL included), portable to every POSIX shell:
 * printable ASCII stays readable, and so do visible characters of a UTF-8 text; everything else
 * becomes 3-digit octal escapes. Pass `text` when the bytes are valid UTF-8.
 */
export function printfFormat(bytes: Uint8Array, text?: string): string {
  let out = '';
  if (text === undefined) {
    for (const byte of bytes) out += printfByte(byte);
    return singleQuote(out);
  }
  const encoder = new TextEncoder();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out += printfByte(code);
    else if (isPasteSafe(char)) out += char;
    else out += octal(encoder.encode(char));
  }
  return singleQuote(out);
}
