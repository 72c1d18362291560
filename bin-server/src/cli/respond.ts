import http from 'node:http';
import https from 'node:https';
import { buildReplay } from '@umhooks/core';
import { MAX_RESPONSE_BODY_BYTES } from '../responders/limits.js';
import type { RequestJson } from '../wire/request.js';

/** What `tail --respond` sends back over /ws for one held request (wire/live.ts). */
export type AnswerMessage =
  | {
      type: 'answer';
      request_id: string;
      status: number;
      status_text: string;
      headers: Array<[string, string]>;
      body_base64: string;
      app_ms: number;
    }
  | { type: 'answer'; request_id: string; error: string; app_ms: number };

/**
 * Sends a held request on to the app like `--forward` (same method, end-to-end headers and exact
 * body bytes) and reads the app's answer as it came: status line, header lines in order and case,
 * and the body's exact bytes (not decoded: the original sender gets what the app sent). Core's
 * replay keeps an answer as text, so this reads it with node:http itself.
 */
export async function askApp(
  target: URL,
  request: RequestJson,
  timeoutMs: number,
): Promise<{ url: string; answer: AnswerMessage }> {
  const sent = buildReplay(target, {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: Buffer.from(request.body_base64, 'base64'),
  });
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): AnswerMessage => ({
    type: 'answer',
    request_id: request.id,
    error,
    app_ms: elapsed(),
  });
  const url = new URL(sent.url);
  const client = url.protocol === 'https:' ? https : http;
  const answer = await new Promise<AnswerMessage>((resolve) => {
    const req = client.request(url, {
      method: sent.method,
      // Flat [name, value, …]: written as listed (Host included), case and order kept.
      headers: sent.headers.flat(),
      setHost: false,
      timeout: timeoutMs,
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(failed(`the app did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(failed(error.code ?? error.message));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BODY_BYTES) {
          clearTimeout(timer);
          res.destroy();
          resolve(
            failed(
              `the app's answer is larger than a bin answers with (${MAX_RESPONSE_BODY_BYTES} bytes)`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', () => undefined);
      res.on('end', () => {
        clearTimeout(timer);
        const headers: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        }
        resolve({
          type: 'answer',
          request_id: request.id,
          status: res.statusCode ?? 0,
          status_text: res.statusMessage ?? '',
          headers,
          body_base64: Buffer.concat(chunks).toString('base64'),
          app_ms: elapsed(),
        });
      });
    });
    req.end(Buffer.from(sent.body));
  });
  return { url: sent.url, answer };
}
