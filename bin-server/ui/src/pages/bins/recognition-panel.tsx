import type { RecognitionJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { EventBadge } from '../../components/badges.js';
import { bestCandidates, summarizeRecognition } from '../../lib/recognition.js';
import { href } from '../../router.js';

function EventLink({ id }: { id: string }) {
  const { data: events } = useEvents();
  const event = events?.find((e) => e.id === id);
  return (
    <a class="event-link" href={href.events(id)}>
      <code>{id}</code>
      {event && <span class="muted"> · {event.name}</span>}
    </a>
  );
}

function joinLinks(ids: string[]) {
  return ids.map((id, i) => (
    <span key={id}>
      {i > 0 && <span class="muted"> or </span>}
      <EventLink id={id} />
    </span>
  ));
}

/** Which Ultimate Multisite event the body is, what the URL expected, and the schema check. */
export function RecognitionPanel({ recognition }: { recognition: RecognitionJson | null }) {
  const summary = summarizeRecognition(recognition);
  if (!recognition || !summary) {
    return null;
  }
  const best = bestCandidates(recognition.candidates);
  const top = best[0];
  return (
    <section class={`recognition tone-${summary.tone}`} aria-labelledby="recognition-title">
      <div class="recognition-head">
        <h3 id="recognition-title">Ultimate Multisite event</h3>
        <EventBadge recognition={recognition} />
      </div>
      <dl class="facts">
        {best.length > 0 && (
          <>
            <dt>Body looks like</dt>
            <dd>
              {joinLinks(best.map((c) => c.event))}
              {top && top.score < 1 && (
                <span class="muted"> ({Math.round(top.score * 100)}% of the keys match)</span>
              )}
              {best.length > 1 && !summary.expected && (
                <p class="hint">
                  These events send exactly the same keys, so the body alone cannot tell them apart:
                  the URL each webhook was subscribed with does. Add the event to the bin URL (…/
                  {best[0]!.event}) to check against one.
                </p>
              )}
            </dd>
          </>
        )}
        {best.length === 0 && (
          <>
            <dt>Body looks like</dt>
            <dd class="muted">No known event (the keys match none of the catalog).</dd>
          </>
        )}
        {summary.expected && (
          <>
            <dt>Expected (from the URL)</dt>
            <dd>
              <EventLink id={summary.expected} />
              {summary.mismatch ? (
                <span class="tag tag-error">does not match the body</span>
              ) : best.length > 0 ? (
                <span class="tag tag-ok">matches</span>
              ) : null}
            </dd>
          </>
        )}
        {top && (top.missing.length > 0 || top.extra.length > 0) && (
          <>
            <dt>Keys</dt>
            <dd>
              {top.missing.length > 0 && (
                <div>
                  Missing: <span class="mono">{top.missing.join(', ')}</span>
                </div>
              )}
              {top.extra.length > 0 && (
                <div>
                  Extra: <span class="mono">{top.extra.join(', ')}</span>
                </div>
              )}
            </dd>
          </>
        )}
        {recognition.checked_event && (
          <>
            <dt>Schema check</dt>
            <dd>
              {recognition.issues.length === 0 ? (
                <span>
                  Valid <code>{recognition.checked_event}</code> payload.
                </span>
              ) : (
                <>
                  <span>
                    {recognition.issues.length} issue{recognition.issues.length === 1 ? '' : 's'}{' '}
                    against <code>{recognition.checked_event}</code>:
                  </span>
                  <ul class="issues">
                    {recognition.issues.map((issue, i) => (
                      <li key={i}>
                        <code>{issue.path || '(body)'}</code>{' '}
                        <span class={`tag tag-muted`}>{issue.code}</span> {issue.message}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
