import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { kind: 'ok'; body: Buffer } | { kind: 'too_large'; received: number } | { kind: 'aborted' };

const EMPTY = Buffer.alloc(0);

/**
 * Small chunks are merged once this many are pending. A chunked body of one-byte chunks arrives
 * as one Buffer object per byte, each costing far more memory than its byte (and pinning the
 * socket's read buffer): merging keeps the memory for a body near its size, whatever the framing.
 */
const MERGE_AFTER = 256;

/**
 * Reads the whole body, keeping at most `limit` bytes: the chunk that would pass the limit is
 * dropped and the request is paused (the sender is no longer read), so memory never grows past
 * the limit whatever the sender claims or streams.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let pending: Buffer[] = [];
    let pendingSize = 0;
    let size = 0;
    const merge = () => {
      if (pending.length === 0) return;
      chunks.push(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingSize));
      pending = [];
      pendingSize = 0;
    };
    const done = (result: BodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        chunks.length = 0;
        pending = [];
        done({ kind: 'too_large', received: size });
        return;
      }
      pending.push(chunk);
      pendingSize += chunk.length;
      if (pending.length >= MERGE_AFTER) merge();
    };
    const onEnd = () => {
      merge();
      const body =
        chunks.length === 1
          ? chunks[0]!
          : chunks.length === 0
            ? EMPTY
            : Buffer.concat(chunks, size);
      done({ kind: 'ok', body });
    };
    const onClose = () => {
      if (!req.complete) done({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
