import type { RequestForwardJson } from '../../api/types.js';
import { StatusCode } from '../../components/badges.js';
import { formatDuration } from '../../lib/format.js';

const FALLBACK: Record<Exclude<RequestForwardJson['outcome'], 'answered' | 'pending'>, string> = {
  timed_out: 'forwarder too slow',
  gone: 'forwarder disconnected',
  failed: 'forwarder failed',
};

/**
 * Two-way forwarding (`umhooks tail --respond`): who answered the sender, the app through the
 * forwarder or the bin as configured, and why. Nothing when no forwarder answered for the bin.
 */
export function ForwardNote({ forward }: { forward: RequestForwardJson | null | undefined }) {
  if (!forward) return null;
  return (
    <div class="meta-wide" data-testid="forward-note" data-outcome={forward.outcome}>
      <dt>Answered by</dt>
      <dd>
        {forward.outcome === 'answered' ? (
          <>
            your app via <span class="mono">tail --respond</span>{' '}
            <StatusCode status={forward.status} />
            {forward.app_ms !== null && (
              <span class="muted"> in {formatDuration(forward.app_ms)}</span>
            )}
          </>
        ) : forward.outcome === 'pending' ? (
          <span class="muted">waiting for the forwarder…</span>
        ) : (
          <>
            the bin, as configured ({FALLBACK[forward.outcome]}){' '}
            <span class="muted">{forward.reason}</span>
          </>
        )}
      </dd>
    </div>
  );
}
