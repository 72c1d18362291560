import type { WebSocket } from 'ws';
import { MAX_RESPOND_TIMEOUT_MS, MIN_RESPOND_TIMEOUT_MS } from '../responders/limits.js';
import type { AnswerMessage } from '../responders/answer.js';
import type { ResponderLink, Responders } from '../responders/registry.js';
import { isValidBinId } from '../store/bin-id.js';
import type { ResponderMessage } from '../wire/live.js';

/**
 * The /ws messages of a `tail --respond` forwarder (wire/live.ts ResponderMessage): `respond`
 * claims a bin, `answer` answers a request handed to it. Returns false for any other message
 * (the hub's own subscribe/unsubscribe).
 */
export function createResponderLink(socket: WebSocket, responders: Responders) {
  const send = (message: ResponderMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const link: ResponderLink = {
    forward(binId, requestId, timeoutMs) {
      send({ type: 'forward', bin: binId, request_id: requestId, timeout_ms: timeoutMs });
    },
  };

  async function respond(bin: unknown, timeout: unknown): Promise<void> {
    if (typeof bin !== 'string' || !isValidBinId(bin)) {
      socket.close(1008, 'Send {"type":"respond","bin":"<bin id>","timeout_ms":<ms>}');
      return;
    }
    const timeoutMs = timeout === undefined ? 10_000 : timeout;
    if (
      typeof timeoutMs !== 'number' ||
      !Number.isInteger(timeoutMs) ||
      timeoutMs < MIN_RESPOND_TIMEOUT_MS ||
      timeoutMs > MAX_RESPOND_TIMEOUT_MS
    ) {
      socket.close(
        1008,
        `timeout_ms must be ${MIN_RESPOND_TIMEOUT_MS} to ${MAX_RESPOND_TIMEOUT_MS} ms.`,
      );
      return;
    }
    const claimed = await responders.claim(bin, timeoutMs, link);
    send(
      claimed.ok
        ? { type: 'respond.ok', bin, timeout_ms: timeoutMs }
        : { type: 'respond.refused', bin, message: claimed.message },
    );
  }

  return {
    /** Handles a responder message; false when `message` is not one. */
    handle(message: unknown): boolean {
      const { type } = (message ?? {}) as { type?: unknown };
      if (type === 'respond') {
        const { bin, timeout_ms: timeout } = message as { bin?: unknown; timeout_ms?: unknown };
        void respond(bin, timeout).catch(() => socket.close(1011, 'Could not claim the bin.'));
        return true;
      }
      if (type === 'answer') {
        void responders.answer(link, message as AnswerMessage).catch(() => undefined);
        return true;
      }
      return false;
    },
    /** The connection closed: release what it claimed. */
    detach(): void {
      void responders.detach(link).catch(() => undefined);
    },
  };
}
