import type { ServerResponse } from 'node:http';
import type { ForwardAnswer } from '../store/types.js';
import { CAPTURE_SECURITY_HEADERS, type Answer } from './respond.js';

/** Ours on every capture answer: the app's are replaced (the request id) or joined (CSP). */
const REPLACED = new Set(['x-request-id', 'x-content-type-options']);
const CORS: ReadonlyArray<[string, string]> = [
  ['access-control-allow-origin', '*'],
  ['access-control-expose-headers', 'x-request-id'],
];

/**
 * The app's answer, relayed by a `tail --respond` forwarder, as the bin's: its status, its
 * end-to-end header lines in order and case (hop-by-hop ones were dropped when it was settled)
 * and its exact bytes; then the capture answer's security headers and request id, as on every
 * bin answer (a custom Content-Security-Policy can only add restrictions to ours).
 */
export function forwardedAnswer(answer: ForwardAnswer, requestId: string): Answer {
  const headers: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (REPLACED.has(lower)) continue;
    headers.push([name, value]);
    seen.add(lower);
  }
  for (const [name, value] of CORS) if (!seen.has(name)) headers.push([name, value]);
  headers.push(...Object.entries(CAPTURE_SECURITY_HEADERS));
  headers.push(['x-request-id', requestId]);
  const { status } = answer;
  // 204 and 304 answers have no body by definition.
  if (status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
  const body = Buffer.from(answer.body);
  headers.push(['content-length', String(body.length)]);
  return { status, headers, body };
}

/** Sends forwardedAnswer with the app's own reason phrase. */
export function sendForwarded(res: ServerResponse, answer: ForwardAnswer, requestId: string): void {
  if (res.destroyed) return;
  const { status, headers, body } = forwardedAnswer(answer, requestId);
  const lines = headers.flat();
  if (answer.statusText) res.writeHead(status, answer.statusText, lines);
  else res.writeHead(status, lines);
  res.end(body);
}
