import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Each connection's responses not yet known to be sent, oldest first. A response is only pushed
 * here: no listener per request (the capture hot path pays a WeakMap lookup and an array push);
 * sent ones are dropped from the front when the connection's next request arrives, and listeners
 * are added only when a client error has to wait for the answers owed.
 */
const outstanding = new WeakMap<Duplex, ServerResponse[]>();

/** Responses still to be sent (node sends a connection's responses in order). */
function unsent(socket: Duplex): ServerResponse[] {
  const responses = outstanding.get(socket);
  if (!responses) return [];
  let sent = 0;
  while (sent < responses.length && responses[sent]!.closed) sent++;
  if (sent > 0) responses.splice(0, sent);
  return responses;
}

/**
 * Answers still owed: those of requests that arrived whole. The request that was being read when
 * the bytes went bad never will be; it is aborted when the connection closes.
 */
function owed(socket: Duplex): ServerResponse[] {
  return unsent(socket).filter((res) => !res.closed && res.req.complete);
}

/** Counts `res` as owed on its connection until it has been sent (or the connection is gone). */
export function trackResponse(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  const responses = outstanding.get(socket);
  if (!responses) outstanding.set(socket, [res]);
  else {
    if (responses.length > 0 && responses[0]!.closed) unsent(socket);
    responses.push(res);
  }
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
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
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
  const waiting = owed(socket);
  if (waiting.length === 0) return answer();
  // Once the last answer owed has gone (or the connection is gone), the error follows.
  const settle = () => {
    if (owed(socket).length === 0) answer();
  };
  for (const res of waiting) res.once('close', settle);
}
