import type { RequestFilters } from '../../api/endpoints.js';
import type { BinJson } from '../../api/types.js';
import { LiveIndicator } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import type { LiveState } from '../../live/socket.js';
import { formatCount } from '../../lib/format.js';
import { href } from '../../router.js';
import { AlertsMenu } from './alerts-menu.js';
import { ExportMenu } from './export-menu.js';

export type BinAction = 'response' | 'signing' | 'limit' | 'clear' | 'delete';

export interface BinHeaderProps {
  bin: BinJson;
  /** Requests the bin holds now. */
  stored: number;
  liveState: LiveState;
  /** The filters bar's: exports take the same. */
  filters: RequestFilters;
  onAction(action: BinAction): void;
}

/** The bin's name, its capture URL (the thing to copy) and its actions. */
export function BinHeader({ bin, stored, liveState, filters, onAction }: BinHeaderProps) {
  // Captured but no longer held: evicted by the limit (deleted ones are not counted).
  const evicted = bin.evicted_count;
  return (
    <header class="bin-header">
      <div class="bin-heading">
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href={href.bins()}>Bins</a>
          <span aria-hidden="true">/</span>
        </nav>
        <h1>{bin.name || bin.id}</h1>
        {bin.name && <span class="muted mono small">{bin.id}</span>}
        <LiveIndicator state={liveState} />
      </div>
      <div class="capture-url">
        <span class="capture-label">Capture URL</span>
        <code class="capture-value" data-testid="capture-url">
          {bin.url}
        </code>
        <CopyButton text={bin.url} label="Copy URL" class="button-primary" />
      </div>
      <div class="bin-actions">
        <span
          class="muted small bin-count"
          data-testid="bin-count"
          title={
            evicted > 0
              ? `The bin keeps its newest ${formatCount(bin.max_requests)} requests: ${formatCount(evicted)} older ones were dropped.`
              : `The bin keeps its newest ${formatCount(bin.max_requests)} requests.`
          }
        >
          {evicted > 0
            ? `newest ${formatCount(stored)} of ${formatCount(bin.request_count)} kept`
            : `${formatCount(stored)} request${stored === 1 ? '' : 's'}`}
          {bin.response && <span class="tag tag-muted">custom response {bin.response.status}</span>}
          {bin.signing_secret && <span class="tag tag-muted">signatures checked</span>}
        </span>
        <button type="button" class="button button-small" onClick={() => onAction('response')}>
          <Icon name="settings" size={14} /> Response
        </button>
        <button type="button" class="button button-small" onClick={() => onAction('signing')}>
          <Icon name="check" size={14} /> Signature
        </button>
        <button
          type="button"
          class="button button-small"
          aria-label={`Requests kept: ${formatCount(bin.max_requests)}`}
          onClick={() => onAction('limit')}
        >
          Keep {formatCount(bin.max_requests)}
        </button>
        <ExportMenu binId={bin.id} filters={filters} />
        <AlertsMenu binId={bin.id} />
        <button
          type="button"
          class="button button-small"
          disabled={stored === 0}
          onClick={() => onAction('clear')}
        >
          Clear all
        </button>
        <button
          type="button"
          class="button button-small button-danger-quiet"
          onClick={() => onAction('delete')}
        >
          <Icon name="trash" size={14} /> Delete bin
        </button>
      </div>
    </header>
  );
}
