import type { BinJson } from './bin.js';
import type { RequestSummaryJson } from './request.js';
import type { DeliveryJson, WebhookJson } from './sandbox.js';

/**
 * Messages pushed to live viewers over /ws (and carried by the bus between instances). Metadata
 * only: bodies are fetched over the API. Sandbox messages are added by the sandbox part.
 */
export type LiveMessage =
  /**
   * First message on a connection, and the answer to each subscribe/unsubscribe: the bins now
   * watched, those of them that do not exist (yet), and whether sandbox messages come too.
   */
  | { type: 'hello'; bins: string[]; unknown_bins: string[]; sandbox: boolean }
  | { type: 'request'; bin: string; request: RequestSummaryJson }
  | { type: 'request.deleted'; bin: string; id: string }
  | { type: 'requests.cleared'; bin: string }
  /** A replay of a request was recorded: its list is at GET /api/bins/<bin>/requests/<id>. */
  | {
      type: 'request.replayed';
      bin: string;
      request_id: string;
      replay_id: string;
      status: number | null;
    }
  /** A request held for the bin's `tail --respond` forwarder ended (GET it for the outcome). */
  | {
      type: 'request.forwarded';
      bin: string;
      request_id: string;
      outcome: 'answered' | 'timed_out' | 'gone' | 'failed';
      status: number | null;
    }
  /** A `tail --respond` forwarder started or stopped answering for the bin. */
  | { type: 'responder'; bin: string; responding: boolean }
  | ResponderMessage
  | { type: 'bin.updated'; bin: string; value: BinJson }
  | { type: 'bin.deleted'; bin: string }
  /** Topic `sandbox` (`/ws?sandbox=1`): a delivery was created or changed (claimed, attempted). */
  | { type: 'delivery'; delivery: DeliveryJson }
  | { type: 'webhook.updated'; webhook: WebhookJson }
  | { type: 'webhook.deleted'; id: number }
  | RefetchNotice;

/**
 * Instead of a message that could not travel between instances (too large for PostgreSQL's
 * NOTIFY), or after an instance's bus reconnected (messages may have been missed): refetch over
 * the API. `of` is the original message type (`*`: anything on the topic); `bin` and `id` name
 * what changed when known.
 */
export interface RefetchNotice {
  type: 'refetch';
  topic: string;
  of: string;
  bin?: string;
  id?: string | number;
}

/**
 * Sent only to the connection that asked to answer for a bin (`{"type":"respond","bin":…,
 * "timeout_ms":…}`): whether it may (`respond.ok`; `respond.refused` when another forwarder
 * answers already), then each request held for it (`forward`). It answers each with
 * `{"type":"answer","request_id":…,"status":…,"status_text":…,"headers":[[n,v]…],"body_base64":…}`
 * or `{"type":"answer","request_id":…,"error":"why"}`.
 */
export type ResponderMessage =
  | { type: 'respond.ok'; bin: string; timeout_ms: number }
  | { type: 'respond.refused'; bin: string; message: string }
  | { type: 'forward'; bin: string; request_id: string; timeout_ms: number };
