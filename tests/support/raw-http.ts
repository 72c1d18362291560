import net from 'node:net';

/** One response read off a raw connection. */
export interface RawResponse {
  status: number;
  /** Lower-case names; the last of repeated ones. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Splits what a server sent into responses: interim 1xx ones are skipped, a response without
 * Content-Length runs to the end. `bodiless[i]` marks the i-th answer to a HEAD (no body follows).
 */
export function parseResponses(raw: Buffer, bodiless: boolean[] = []): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', at, 'latin1');
    if (headEnd === -1) {
      throw new Error(
        `an incomplete response: ${JSON.stringify(raw.subarray(at).toString('latin1'))}`,
      );
    }
    const [statusLine, ...lines] = raw.subarray(at, headEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
    if (!status) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const code = Number(status[1]);
    const start = headEnd + 4;
    if (code >= 100 && code < 200) {
      at = start;
      continue;
    }
    const length = bodiless[responses.length]
      ? 0
      : Number(headers['content-length'] ?? raw.length - start);
    responses.push({ status: code, headers, body: raw.subarray(start, start + length) });
    at = start + length;
  }
  return responses;
}

/**
 * Writes `pieces` one after another on a fresh connection to 127.0.0.1 (each its own write, so
 * the server sees the bytes split where the caller split them) and returns everything the server
 * sent until it closed the connection.
 */
export function exchangeRaw(
  base: string,
  pieces: Array<Buffer | string>,
  timeoutMs = 30_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the server's answer (it closed with our bytes unread) is not a failure here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    let next = 0;
    const writeNext = () => {
      if (next >= pieces.length || socket.destroyed) return;
      socket.write(pieces[next++]!, () => setImmediate(writeNext));
    };
    socket.once('connect', writeNext);
  });
}
