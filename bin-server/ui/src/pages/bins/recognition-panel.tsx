import type { Candidate, RecognitionJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { EventBadge } from '../../components/badges.js';
import { summarizeRecognition } from '../../lib/recognition.js';
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

function KeysFact({ candidate, of }: { candidate: Candidate; of: string }) {
  if (candidate.missing.length === 0 && candidate.extra.length === 0) return null;
  return (
    <>
      <dt>Keys of {of}</dt>
      <dd class="recognition-keys">
        {candidate.missing.length > 0 && (
          <div>
            Missing: <span class="mono">{candidate.missing.join(', ')}</span>
          </div>
        )}
        {candidate.extra.length > 0 && (
          <div>
            Extra: <span class="mono">{candidate.extra.join(', ')}</span>
          </div>
        )}
      </dd>
    </>
  );
}

const percentOfKeys = (score: number) => `${Math.round(score * 100)}% of the keys match`;

/**
 * Which Ultimate Multisite event the body is, what the URL expected, and the schema check. With an
 * expected event, everything is said of that event; other events are named only when the body
 * really looks like them (LOOK_ALIKE_MIN_SCORE), never a weak best guess.
 */
export function RecognitionPanel({ recognition }: { recognition: RecognitionJson | null }) {
  const summary = summarizeRecognition(recognition);
  if (!recognition || !summary) {
    return null;
  }
  const { best, expected, expectedCandidate, mismatch } = summary;
  const top = best[0];
  const keysOf = expected !== null ? expectedCandidate : top;
  return (
    <section class={`recognition tone-${summary.tone}`} aria-labelledby="recognition-title">
      <div class="recognition-head">
        <h3 id="recognition-title">Ultimate Multisite event</h3>
        <EventBadge recognition={recognition} />
      </div>
      <dl class="facts">
        {expected !== null && (
          <>
            <dt>Expected (from the URL)</dt>
            <dd>
              <EventLink id={expected} />
              {mismatch ? (
                <span class="tag tag-error">does not match the body</span>
              ) : expectedCandidate?.score === 1 ? (
                <span class="tag tag-ok">matches</span>
              ) : (
                <span class="muted"> ({percentOfKeys(expectedCandidate?.score ?? 0)})</span>
              )}
            </dd>
          </>
        )}
        {(expected === null || mismatch) && (
          <>
            <dt>Body looks like</dt>
            {best.length > 0 ? (
              <dd>
                {joinLinks(best.map((c) => c.event))}
                {top && top.score < 1 && <span class="muted"> ({percentOfKeys(top.score)})</span>}
                {best.length > 1 && expected === null && (
                  <p class="hint">
                    These events send exactly the same keys, so the body alone cannot tell them
                    apart: the URL each webhook was subscribed with does. Add the event to the bin
                    URL (…/
                    {best[0]!.event}) to check against one.
                  </p>
                )}
              </dd>
            ) : (
              <dd class="muted">
                No known event (none shares at least half of its keys with the body).
              </dd>
            )}
          </>
        )}
        {keysOf && <KeysFact candidate={keysOf} of={keysOf.event} />}
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
