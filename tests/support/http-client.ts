import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/** One HTTP request with node:http (the path is sent exactly as given, never normalized). */
export function send(
  base: string,
  path: string,
  options: {
    method?: string;
    headers?: http.OutgoingHttpHeaders | Array<[string, string]>;
    body?: Buffer | string;
  } = {},
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let headers = Array.isArray(options.headers) ? options.headers.flat() : options.headers;
    // Node sends GET/DELETE/OPTIONS bodies without framing unless told the length.
    if (options.body !== undefined && !Array.isArray(headers)) {
      headers = { 'content-length': Buffer.byteLength(options.body), ...headers };
    }
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path,
      method: options.method ?? 'POST',
      headers,
      agent: false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a TCP connection and returns everything the server sends until it closes. */
export function rawExchange(
  base: string,
  bytes: Buffer | string,
  timeoutMs = 10_000,
): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no close within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString()}`),
      );
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}
