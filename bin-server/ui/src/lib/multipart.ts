import { asciiBytes, indexOfBytes, lenientUtf8, strictUtf8 } from './bytes.js';

export interface MultipartPart {
  index: number;
  headers: Array<[string, string]>;
  name: string | null;
  filename: string | null;
  contentType: string;
  bytes: Uint8Array;
  /** The content as text when it is UTF-8, else null. */
  text: string | null;
}

/** The boundary of a `multipart/*` content type, or null. */
export function boundaryOf(contentType: string): string | null {
  if (!/^multipart\//i.test(contentType.trim())) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function dispositionParam(disposition: string, key: string): string | null {
  const extended = new RegExp(`;\\s*${key}\\*=([^']*)'[^']*'([^;]+)`, 'i').exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]+))`, 'i').exec(
    disposition,
  );
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!.trim();
}

function parseHeaders(block: string): Array<[string, string]> {
  return block
    .split(/\r?\n/)
    .filter((line) => line.includes(':'))
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as [string, string];
    });
}

/**
 * Splits a multipart body into its parts (RFC 7578 / 2046). Lenient: tolerates LF line endings and
 * a missing closing delimiter, and returns what it could read.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = [];
  const delimiter = asciiBytes(`--${boundary}`);
  let position = indexOfBytes(body, delimiter);
  while (position !== -1) {
    let start = position + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // `--boundary--`
    // A CR ending the part's content belongs to it when the sender breaks lines with bare LF.
    const crlf = body[start] === 0x0d;
    if (crlf) start += 1;
    if (body[start] === 0x0a) start += 1;
    const next = indexOfBytes(body, delimiter, start);
    let end = next === -1 ? body.length : next;
    // The line break before the next delimiter belongs to the delimiter.
    if (next !== -1 && body[end - 1] === 0x0a) {
      end -= 1;
      if (crlf && body[end - 1] === 0x0d) end -= 1;
    }
    const chunk = body.subarray(start, end);
    let split = indexOfBytes(chunk, asciiBytes('\r\n\r\n'));
    let gap = 4;
    if (split === -1) {
      split = indexOfBytes(chunk, asciiBytes('\n\n'));
      gap = 2;
    }
    const headerText = split === -1 ? '' : lenientUtf8(chunk.subarray(0, split));
    const bytes = split === -1 ? chunk : chunk.subarray(split + gap);
    const headers = parseHeaders(headerText);
    const header = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
    const disposition = header('content-disposition');
    parts.push({
      index: parts.length,
      headers,
      name: dispositionParam(disposition, 'name'),
      filename: dispositionParam(disposition, 'filename'),
      contentType: header('content-type'),
      bytes,
      text: strictUtf8(bytes),
    });
    position = next;
  }
  return parts;
}
