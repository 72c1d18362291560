import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Each connection's requests whose response has not been sent yet. */
const unanswered = new WeakMap<Duplex, Set<IncomingMessage>>();
const whenSettled = new WeakMap<Duplex, () => void>();

/**
 * Answers still owed: those of requests that arrived whole. The request that was being read when
 * the bytes went bad never will be; it is aborted when the connection closes.
 */
function owed(socket: Duplex): number {
  let count = 0;
  for (const req of unanswered.get(socket) ?? []) if (req.complete) count++;
  return count;
}

/** Counts `res` as owed on its connection until it has been sent (or the connection is gone). */
export function trackResponse(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  let requests = unanswered.get(socket);
  if (!requests) unanswered.set(socket, (requests = new Set()));
  requests.add(req);
  res.once('close', () => {
    requests.delete(req);
    if (owed(socket) === 0) whenSettled.get(socket)?.();
  });
}

/** Node's own answers to a request it could not parse (see node's lib/_http_server.js). */
function statusLine(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return '413 Payload Too Large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return '408 Request Timeout';
    default:
      return '400 Bad Request';
  }
}

/**
 * The server's `clientError` handler. node's default writes its 400 at once and destroys the
 * connection, so a request pipelined ahead of the bad bytes, already stored and about to be
 * acknowledged, would lose its answer (and the sender would read the 400 as that answer). Here
 * the answers owed go out first, then the error, then the connection closes; nothing after the
 * bad bytes is parsed.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.pause();
  const answer = () => {
    whenSettled.delete(socket);
    if (!socket.writable) return void socket.destroy();
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${statusLine(error.code)}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`,
    );
    // The sender may still be sending: close even if it never reads our FIN.
    setTimeout(() => socket.destroy(), 1_000).unref();
  };
  if (owed(socket) === 0) return answer();
  whenSettled.set(socket, answer);
  socket.once('close', () => whenSettled.delete(socket));
}
