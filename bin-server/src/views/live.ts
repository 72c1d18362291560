import type { BinJson } from './bin.js';
import type { RequestSummaryJson } from './request.js';

/**
 * Messages pushed to live viewers over /ws (and carried by the bus between instances). Metadata
 * only: bodies are fetched over the API. Sandbox messages are added by the sandbox part.
 */
export type LiveMessage =
  | { type: 'request'; bin: string; request: RequestSummaryJson }
  | { type: 'request.deleted'; bin: string; id: string }
  | { type: 'requests.cleared'; bin: string }
  | { type: 'bin.updated'; bin: string; value: BinJson }
  | { type: 'bin.deleted'; bin: string };
