import type { RecognitionJson } from '../api/types.js';
import type { LiveState } from '../live/socket.js';
import { summarizeRecognition } from '../lib/recognition.js';

const knownMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function MethodBadge({ method }: { method: string }) {
  const known = knownMethods.has(method) ? method.toLowerCase() : 'other';
  return <span class={`method method-${known}`}>{method}</span>;
}

export function StatusCode({ status }: { status: number | null }) {
  if (status === null) return <span class="status-code status-none">—</span>;
  const family = status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';
  return <span class={`status-code status-${family}`}>{status}</span>;
}

/**
 * The recognized event of a captured body: `payment_received`, or a tie `a or b`. `compact` (list
 * rows) names a tie by its first event and how many more (`payment_received +2`), so the event
 * stays readable in a narrow row; the title always says everything.
 */
export function EventBadge({
  recognition,
  compact = false,
}: {
  recognition: RecognitionJson | null;
  compact?: boolean;
}) {
  const summary = summarizeRecognition(recognition);
  if (!summary) return null;
  const label =
    compact && summary.expected === null && summary.best.length > 1
      ? `${summary.best[0]!.event} +${summary.best.length - 1}`
      : summary.label;
  return (
    <span class={`event-badge tone-${summary.tone}`} title={summary.description}>
      {label}
      {recognition && recognition.issues.length > 0 && (
        <span class="event-badge-count" aria-label={`${recognition.issues.length} schema issues`}>
          {recognition.issues.length}
        </span>
      )}
    </span>
  );
}

const liveText: Record<LiveState, string> = {
  open: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
};

export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span
      class={`live live-${state}`}
      role="status"
      title={
        state === 'open'
          ? 'Connected: new requests appear as they arrive'
          : 'Not connected: retrying'
      }
    >
      <span class="live-dot" aria-hidden="true" />
      {liveText[state]}
    </span>
  );
}

export function DeliveryBadge({ delivery }: { delivery: 'webhook' | 'log-only' }) {
  return delivery === 'webhook' ? (
    <span class="tag tag-ok" title="The plugin POSTs real occurrences of this event to webhooks">
      delivered
    </span>
  ) : (
    <span
      class="tag tag-warn"
      title="The plugin only logs real occurrences; only Send Test Event posts its sample"
    >
      log-only
    </span>
  );
}
