import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { kind: 'ok'; body: Buffer } | { kind: 'too_large'; received: number } | { kind: 'aborted' };

const EMPTY = Buffer.alloc(0);

/**
 * Reads the whole body, keeping at most `limit` bytes: the chunk that would pass the limit is
 * dropped and the request is paused (the sender is no longer read), so memory never grows past
 * the limit whatever the sender claims or streams.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
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
        done({ kind: 'too_large', received: size });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
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
