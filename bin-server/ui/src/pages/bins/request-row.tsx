import { memo } from '../../components/memo.js';
import type { JsonErrorJson, RequestSummaryJson } from '../../api/types.js';
import { EventBadge, MethodBadge } from '../../components/badges.js';
import { useNow } from '../../lib/clock.js';
import { formatBytes, formatDateTime, formatTime, relativeTime } from '../../lib/format.js';
import { usePreference } from '../../lib/preference.js';
import { timeFormatPreference } from '../../lib/time-format.js';

export const ROW_HEIGHT = 58;

interface RequestRowProps {
  request: RequestSummaryJson;
  /** Its address, with the list's filters so opening it keeps them. */
  link: string;
  selected: boolean;
  active: boolean;
}

/** Arrival time, relative or absolute as chosen; relative times follow the shared clock. */

/** A summary of a large body may come without the place; the opened request always has it. */
function jsonErrorTitle(error: JsonErrorJson): string {
  const at = error.line === undefined ? '' : ` at line ${error.line}, column ${error.column}`;
  return `Not valid JSON: ${error.message}${at}`;
}

function RowTime({ iso }: { iso: string }) {
  const [format] = usePreference(timeFormatPreference);
  const now = useNow(format === 'relative');
  return (
    <time class="request-row-time" dateTime={iso} title={formatDateTime(iso)}>
      {format === 'relative' ? relativeTime(iso, now) : formatTime(iso)}
    </time>
  );
}

/** The signature verdict with the bin's secret (none without one): valid, invalid or unsigned. */
function SignatureTag({ signature }: { signature: RequestSummaryJson['signature'] }) {
  if (!signature) return null;
  const [text, tone] = signature.valid
    ? ['valid sig', 'tag-ok']
    : signature.reason === 'missing-header'
      ? ['unsigned', 'tag-warn']
      : ['invalid sig', 'tag-error'];
  return (
    <span
      class={`tag ${tone} request-row-signature`}
      title={`Signature: ${signature.message}`}
      data-verdict={signature.valid ? 'valid' : signature.reason}
    >
      {text}
    </span>
  );
}

/** One captured request in the list; memoized so live arrivals re-render only new rows. */
export const RequestRow = memo(function RequestRow({
  request,
  link,
  selected,
  active,
}: RequestRowProps) {
  return (
    <a
      id={`option-${request.id}`}
      role="option"
      aria-selected={selected}
      tabIndex={-1}
      class={`request-row ${selected ? 'is-selected' : ''} ${active ? 'is-active' : ''}`}
      href={link}
      data-request-id={request.id}
    >
      <div class="request-row-line">
        <MethodBadge method={request.method} />
        <span class="request-row-path mono">{request.url}</span>
        <RowTime iso={request.received_at} />
      </div>
      <div class="request-row-line request-row-meta">
        <span class="mono muted">#{request.seq}</span>
        <span class="muted">{formatBytes(request.size)}</span>
        {request.content_type && (
          <span class="muted request-row-type" title={request.content_type}>
            {request.content_type.split(';')[0]}
          </span>
        )}
        {request.recognition?.json_error && (
          <span class="tag tag-error" title={jsonErrorTitle(request.recognition.json_error)}>
            invalid JSON
          </span>
        )}
        <SignatureTag signature={request.signature} />
        <EventBadge recognition={request.recognition} compact />
      </div>
    </a>
  );
});
