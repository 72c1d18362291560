import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A part of the server mounted on the shared node:http server. */
export interface RequestHandler {
  (req: IncomingMessage, res: ServerResponse): void;
}

export interface UpgradeHandler {
  (req: IncomingMessage, socket: Duplex, head: Buffer): void;
}
