import { useEffect, useState } from 'preact/hooks';
import { errorMessage, isAbort } from '../../api/client.js';
import { listReplays } from '../../api/endpoints.js';
import type { LiveMessage, ReplayJson, RequestJson } from '../../api/types.js';
import { StatusCode } from '../../components/badges.js';
import { Icon } from '../../components/icons.js';
import { formatDateTime, formatDuration, relativeTime } from '../../lib/format.js';
import { useLive } from '../../live/use-live.js';
import { ReplayDialog } from './replay-dialog.js';
import { editedParts, ReplayResult } from './replay-result.js';

/** The replays of the open request, newest first, kept fresh by live `request.replayed`. */
function useReplays(binId: string, requestId: string, initial: ReplayJson[] | undefined) {
  const [replays, setReplays] = useState<ReplayJson[]>(initial ?? []);
  const [error, setError] = useState<string | undefined>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    listReplays(binId, requestId, controller.signal).then(
      (page) => {
        setReplays(page.items);
        setError(undefined);
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(errorMessage(e));
      },
    );
    return () => controller.abort();
  }, [binId, requestId, version]);
  const refetch = () => setVersion((n) => n + 1);
  // Shares the bin page's socket (one per query): replays made elsewhere show up too.
  useLive<LiveMessage>(
    `bin=${encodeURIComponent(binId)}`,
    (message) => {
      if (message.type === 'request.replayed' && message.request_id === requestId) refetch();
      // From another instance, too large for its bus: only a notice naming the request.
      if (
        message.type === 'refetch' &&
        message.of === 'request.replayed' &&
        message.id === requestId
      )
        refetch();
    },
    refetch,
  );
  const add = (replay: ReplayJson) =>
    setReplays((list) => [replay, ...list.filter((r) => r.id !== replay.id)]);
  return { replays, error, add };
}

function ReplayEntry({ replay }: { replay: ReplayJson }) {
  const edited = editedParts(replay);
  return (
    <li class="replay-entry" data-replay-id={replay.id}>
      <details>
        <summary>
          <StatusCode status={replay.status} />
          <span class="mono truncate" title={replay.request.url}>
            {replay.request.method} {replay.request.url}
          </span>
          <span class="muted">{formatDuration(replay.duration_ms)}</span>
          {edited && <span class="tag tag-muted">edited</span>}
          {replay.error && <span class="tag tag-error">{replay.error.kind}</span>}
          <span class="muted" title={formatDateTime(replay.created_at)}>
            {relativeTime(replay.created_at)}
          </span>
        </summary>
        <ReplayResult replay={replay} />
      </details>
    </li>
  );
}

// Replays sent from this page reach the history at once, also when the live connection is down.
const sentHere = new Set<(replay: ReplayJson) => void>();

/** The Replay action of the request detail (its header): the button and the dialog. */
export function ReplayButton({ binId, request }: { binId: string; request: RequestJson }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="button button-small" onClick={() => setOpen(true)}>
        <Icon name="send" size={14} /> Replay
      </button>
      {open && (
        <ReplayDialog
          binId={binId}
          request={request}
          onClose={() => setOpen(false)}
          onSent={(replay) => sentHere.forEach((listener) => listener(replay))}
        />
      )}
    </>
  );
}

/** The request's replay history, newest first. */
export function ReplayHistory({
  binId,
  request,
}: {
  binId: string;
  request: RequestJson & { replays?: ReplayJson[] };
}) {
  const { replays, error, add } = useReplays(binId, request.id, request.replays);
  useEffect(() => {
    const listener = (replay: ReplayJson) => {
      if (replay.request_id === request.id) add(replay);
    };
    sentHere.add(listener);
    return () => void sentHere.delete(listener);
  }, [request.id]);
  return (
    <section class="detail-section" aria-labelledby="replays-title">
      <h3 id="replays-title">
        Replays <span class="count">{replays.length}</span>
      </h3>
      {error && <p class="note note-error">{error}</p>}
      {replays.length === 0 ? (
        <p class="muted small">
          Not replayed yet. <strong>Replay</strong> sends it again to your app — same method,
          headers and bytes, so its signature still verifies.
        </p>
      ) : (
        <ul class="replay-list" aria-label="Replay history">
          {replays.map((replay) => (
            <ReplayEntry key={replay.id} replay={replay} />
          ))}
        </ul>
      )}
    </section>
  );
}
