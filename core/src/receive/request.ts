import type { UmEventId } from '../events/event-data.js';
import { bodyLimit, WebhookBodyTooLargeError } from './body.js';
import { assertVerified, receive } from './receive.js';
import type { Received, ReceivedEvent, ReceiveOptions, Verified } from './types.js';

interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * What receiveRequest() reads of a fetch `Request` (Hono's `c.req.raw`, Next.js route handlers,
 * Bun, Deno, Cloudflare Workers, undici): its headers and its body stream.
 */
export interface FetchRequestLike {
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): BodyReader } | null;
}

const DECIMAL = /^\d+$/;

/** The body's bytes, refusing early (Content-Length) or while reading once it passes `limit`. */
async function readBody(request: FetchRequestLike, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')?.trim();
  const reader = request.body?.getReader();
  if (declared && DECIMAL.test(declared) && Number(declared) > limit) {
    await reader?.cancel();
    throw new WebhookBodyTooLargeError(limit);
  }
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw new WebhookBodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * receive() for a fetch `Request`: reads its exact body bytes (so nothing else may have read the
 * body before; pass `request.clone()` if something must) and its headers.
 */
export async function receiveRequest<E extends UmEventId>(
  request: FetchRequestLike,
  options: ReceiveOptions & { event: E },
): Promise<ReceivedEvent<E>>;
export async function receiveRequest(
  request: FetchRequestLike,
  options?: ReceiveOptions,
): Promise<Received>;
export async function receiveRequest(
  request: FetchRequestLike,
  options: ReceiveOptions = {},
): Promise<Received> {
  const body = await readBody(request, bodyLimit(options.maxBodyBytes));
  return receive({ ...options, headers: request.headers, body });
}

/** receiveRequest(), throwing WebhookVerificationError unless the signature verifies. */
export async function verifyAndReceiveRequest<E extends UmEventId>(
  request: FetchRequestLike,
  options: ReceiveOptions & { secret: string; event: E },
): Promise<Verified<ReceivedEvent<E>>>;
export async function verifyAndReceiveRequest(
  request: FetchRequestLike,
  options: ReceiveOptions & { secret: string },
): Promise<Verified>;
export async function verifyAndReceiveRequest(
  request: FetchRequestLike,
  options: ReceiveOptions & { secret: string },
): Promise<Verified> {
  return assertVerified(await receiveRequest(request, options));
}
