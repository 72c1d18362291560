import type { Context } from '../context.js';
import type { UpgradeHandler } from '../http/handler.js';
// STUB: the WebSocket hub on /ws.
export interface LiveHub {
  handleUpgrade: UpgradeHandler;
  close(): Promise<void>;
}
export function createLiveHub(_context: Context): LiveHub {
  return {
    handleUpgrade: (_req, socket) => socket.destroy(),
    close: async () => {},
  };
}
