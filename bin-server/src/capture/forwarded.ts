import type { ServerResponse } from 'node:http';
import type { ForwardAnswer } from '../store/types.js';
import { CAPTURE_SECURITY_HEADERS } from './respond.js';

/** Ours on every capture answer: the app's are replaced (the request id) or joined (CSP). */
const REPLACED = new Set(['x-request-id', 'x-content-type-options']);
const CORS: ReadonlyArray<[string, string]> = [
  ['access-control-allow-origin', '*'],
  ['access-control-expose-headers', 'x-request-id'],
];

/**
 * Sends the app's answer, relayed by a `tail --respond` forwarder, as the bin's: its status line,
 * its end-to-end header lines in order and case (hop-by-hop ones were dropped when it was
 * settled) and its exact bytes; then the capture answer's security headers and request id, as on
 * every bin answer (a custom Content-Security-Policy can only add restrictions to ours).
 */
export function sendForwarded(res: ServerResponse, answer: ForwardAnswer, requestId: string): void {
  if (res.destroyed) return;
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (REPLACED.has(lower)) continue;
    lines.push(name, value);
    seen.add(lower);
  }
  for (const [name, value] of CORS) if (!seen.has(name)) lines.push(name, value);
  for (const [name, value] of Object.entries(CAPTURE_SECURITY_HEADERS)) lines.push(name, value);
  lines.push('x-request-id', requestId);
  const { status } = answer;
  // 1xx, 204 and 304 answers have no body by definition.
  const body = status === 204 || status === 304 ? Buffer.alloc(0) : Buffer.from(answer.body);
  if (status !== 204 && status !== 304) lines.push('content-length', String(body.length));
  if (answer.statusText) res.writeHead(status, answer.statusText, lines);
  else res.writeHead(status, lines);
  res.end(body);
}
