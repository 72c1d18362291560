import type { ReplayJson } from '../../api/types.js';
import { StatusCode } from '../../components/badges.js';
import { KvTable } from '../../components/kv-table.js';
import { formatDuration } from '../../lib/format.js';

/** Shown of an answer's body: the rest is in the API's record (64 KiB at most). */
const EXCERPT = 4096;

/** Which parts a replay changed, in words (`method, body`), or undefined when none. */
export function editedParts(replay: ReplayJson): string | undefined {
  const parts = (['method', 'path', 'headers', 'body'] as const).filter((p) => replay.edited[p]);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * One replay: where it went, the answer (status, time, headers, a body excerpt as text, never as
 * HTML) or the network error, and whether the signature still matches.
 */
export function ReplayResult({ replay }: { replay: ReplayJson }) {
  const body = replay.response_body ?? '';
  const edited = editedParts(replay);
  return (
    <div class="replay-result" data-testid="replay-result">
      <div class="test-facts">
        <span>
          <span class="muted">Status</span> <StatusCode status={replay.status} />
        </span>
        <span>
          <span class="muted">Time</span> {formatDuration(replay.duration_ms)}
        </span>
        <span class="truncate mono" title={replay.request.url}>
          {replay.request.method} {replay.request.url}
        </span>
      </div>
      {edited && <p class="muted small">Edited: {edited}.</p>}
      {replay.signature && (
        <p
          class={`note ${replay.signature.matches ? '' : 'note-warn'}`}
          data-testid="replay-signature"
        >
          <span class={`tag ${replay.signature.matches ? 'tag-ok' : 'tag-error'}`}>
            {replay.signature.matches ? 'signature as captured' : 'signature no longer matches'}
          </span>{' '}
          {replay.signature.message}
        </p>
      )}
      {replay.error && (
        <p class="note note-error" role="alert">
          {replay.error.message}
        </p>
      )}
      {replay.response_headers && (
        <KvTable
          pairs={replay.response_headers}
          caption="Response headers"
          markDuplicates
          caseInsensitive
        />
      )}
      {replay.status !== null && (
        <>
          <pre class="code-block mono replay-body" aria-label="Response body">
            {body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body || '(empty body)'}
          </pre>
          {(replay.response_truncated || body.length > EXCERPT) && (
            <p class="muted small">
              An excerpt: the answer was longer
              {replay.response_truncated ? ' than the 64 KiB kept' : ''}.
            </p>
          )}
        </>
      )}
    </div>
  );
}
