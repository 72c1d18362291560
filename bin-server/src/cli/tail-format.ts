import type { RequestSummaryJson } from '../wire/request.js';

/**
 * Captured data is untrusted: control characters (terminal escape sequences above all) are shown
 * as `\xNN` instead of being written to the terminal. Newlines and tabs are kept where asked.
 */
export function printable(text: string, keepLines = false): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const pattern = keepLines ? /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g : /[\x00-\x1f\x7f-\x9f]/g;
  return (keepLines ? text.replace(/\r\n/g, '\n') : text).replace(
    pattern,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** What recognition found, in a few words: `payment_received ✓`, `payment_received: 2 issues`. */
export function formatRecognition(request: RequestSummaryJson): string {
  const recognition = request.recognition;
  if (!recognition) return '-';
  const event = recognition.checked_event;
  if (event === null) {
    const best = recognition.candidates[0];
    return best
      ? `${best.event}? (${Math.round(best.score * 100)}% of keys)`
      : 'JSON, no known event';
  }
  const tie = recognition.candidates.filter((c) => c.tie).length;
  const also = !recognition.expected && tie > 1 ? ` (or ${tie - 1} more with the same keys)` : '';
  const count = recognition.issues.length;
  return count === 0
    ? `${event} ✓${also}`
    : `${event}: ${count} issue${count === 1 ? '' : 's'}${also}`;
}

/** One line per request: time, method, path and query, size, content type, recognition. */
export function formatLine(request: RequestSummaryJson): string {
  return [
    formatTime(request.received_at),
    request.method.padEnd(7),
    printable(request.url),
    formatSize(request.size),
    printable(request.content_type || '(no content type)'),
    formatRecognition(request),
  ].join('  ');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the body is UTF-8 without binary control bytes, else a hex dump of its start. */
export function formatBody(body: Uint8Array, previewBytes = 256): string {
  if (body.length === 0) return '(empty body)';
  let text: string | undefined;
  try {
    text = utf8.decode(body);
  } catch {
    text = undefined;
  }
  // Valid UTF-8 without NUL bytes is text (its control characters are escaped); else binary.
  if (text !== undefined && !text.includes('\u0000')) {
    return printable(text, true);
  }
  const shown = body.subarray(0, previewBytes);
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row]
      .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'))
      .join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  if (body.length > shown.length) lines.push(`… ${body.length - shown.length} more bytes (binary)`);
  return lines.join('\n');
}
