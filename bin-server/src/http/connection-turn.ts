import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Resolves true once `res` may be written, false if the connection is closing or closes first.
 *
 * node:http parses pipelined requests ahead and runs their handlers at once, queueing only their
 * responses; after an answer that closes the connection it may still parse what follows. A
 * request must not take effect before the answers to the requests sent ahead of it on the same
 * connection, and never after one of them closed it (RFC 9112 §9.3.2, §9.6): bytes after a 413
 * must not be stored unanswered. node assigns the socket to a queued response when the one
 * before it has finished, and ends the socket instead when that one said `Connection: close`.
 */
export function connectionTurn(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const socket = req.socket;
  const open = () => !socket.destroyed && !socket.writableEnded;
  if (!open()) return Promise.resolve(false);
  if (res.socket) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (turn: boolean) => {
      res.off('socket', onSocket);
      socket.off('close', onClose);
      resolve(turn);
    };
    const onSocket = () => settle(open());
    const onClose = () => settle(false);
    res.once('socket', onSocket);
    socket.once('close', onClose);
  });
}
