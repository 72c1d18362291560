import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage, isAbort } from '../../api/client.js';
import { deleteRequest, getCurl, getRequest, requestUrl } from '../../api/endpoints.js';
import type { BinJson, LiveMessage, RequestJson, RequestWithReplaysJson } from '../../api/types.js';
import { MethodBadge } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { KvTable } from '../../components/kv-table.js';
import { tabId, tabPanelId, Tabs } from '../../components/tabs.js';
import { notify } from '../../components/toasts.js';
import { formatBytes, formatDateTime, relativeTime } from '../../lib/format.js';
import { formPairs } from '../../lib/form.js';
import { useLive } from '../../live/use-live.js';
import { summarizeRecognition } from '../../lib/recognition.js';
import { href } from '../../router.js';
import { BodyPanel } from './body-panel.js';
import { ForwardNote } from './forward-note.js';
import { RecognitionPanel } from './recognition-panel.js';
import { ReplayButton, ReplayHistory } from './replay-history.js';
import { SignaturePanel } from './signature-note.js';

// Recently opened requests: moving up and down the list does not refetch. Keyed with the bin's
// signing secret too: a new secret means a new signature check.
const cache = new Map<string, RequestWithReplaysJson>();
function remember(key: string, request: RequestWithReplaysJson): void {
  cache.set(key, request);
  if (cache.size > 50) cache.delete(cache.keys().next().value!);
}

type DetailTab = 'body' | 'headers' | 'query' | 'recognition' | 'signature';
const TABS_ID = 'request-detail';
// The tab last chosen: moving to another request (which remounts the detail) keeps it open, so
// comparing the headers of several requests takes one click, not one per request.
let chosenTab: DetailTab = 'body';

export interface RequestDetailProps {
  binId: string;
  requestId: string;
  /** The bin's signing secret (the request's signature check depends on it). */
  signingSecret: string | null;
  onDeleted(id: string): void;
  /** The bin was changed from here (a sandbox webhook's secret set on it). */
  onBinSaved(bin: BinJson): void;
}

export function RequestDetail({
  binId,
  requestId,
  signingSecret,
  onDeleted,
  onBinSaved,
}: RequestDetailProps) {
  const key = `${requestId} ${signingSecret ?? ''}`;
  const [request, setRequest] = useState<RequestWithReplaysJson | undefined>(cache.get(key));
  const [error, setError] = useState<{ text: string; gone: boolean } | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [tab, setTab] = useState<DetailTab>(chosenTab);
  const choose = (next: DetailTab) => {
    chosenTab = next;
    setTab(next);
  };

  useEffect(() => {
    const cached = cache.get(key);
    setRequest(cached);
    setError(undefined);
    if (cached) return;
    const controller = new AbortController();
    getRequest(binId, requestId, controller.signal).then(
      (loaded) => {
        // Still held for a forwarder: its outcome is yet to come, so it is fetched again.
        if (loaded.forward?.outcome !== 'pending') remember(key, loaded);
        setRequest(loaded);
      },
      (e: unknown) => {
        if (isAbort(e)) return;
        setError({ text: errorMessage(e), gone: e instanceof ApiError && e.status === 404 });
      },
    );
    return () => controller.abort();
  }, [binId, key, attempt]);
  // Held for a `tail --respond` forwarder when it was opened: show how that ended.
  const held = (request as Partial<RequestWithReplaysJson> | undefined)?.forward?.outcome;
  useLive<LiveMessage>(
    held === 'pending' ? `bin=${encodeURIComponent(binId)}` : null,
    (message) => {
      if (message.type === 'request.forwarded' && message.request_id === requestId) {
        setAttempt((n) => n + 1);
      }
    },
    () => setAttempt((n) => n + 1),
  );

  if (error?.gone) {
    return (
      <EmptyState icon="inbox" title="This request is gone">
        It was deleted, or the bin reached its size limit and dropped its oldest requests.
      </EmptyState>
    );
  }
  if (error) return <ErrorNote error={error.text} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!request) return <Spinner label="Loading the request…" />;

  const base = requestUrl(binId, requestId);
  const query = formPairs(request.query);
  const remove = async () => {
    try {
      await deleteRequest(binId, requestId);
      cache.delete(key);
      onDeleted(requestId);
    } catch (e) {
      notify.error(e);
    }
  };

  return (
    <article class="request-detail" aria-label="Request details" data-request-id={request.id}>
      <header class="detail-header">
        <div class="detail-title">
          <MethodBadge method={request.method} />
          <h2 class="mono detail-url">{request.url}</h2>
        </div>
        <div class="detail-actions">
          <ReplayButton binId={binId} request={request} />
          <a
            class="button button-small"
            href={href.compare({ binId, requestId })}
            title="Compare this request with another one, of this bin or another"
          >
            Compare
          </a>
          <CopyButton
            text={() => getCurl(binId, requestId)}
            label="Copy as curl"
            class="button-small"
          />
          <a class="button button-small" href={`${base}/raw`} download={request.id}>
            <Icon name="download" size={14} /> Raw
          </a>
          <a class="button button-small" href={`${base}/har`} download={`${request.id}.har`}>
            <Icon name="download" size={14} /> HAR
          </a>
          <button
            type="button"
            class="button button-small button-danger-quiet"
            onClick={() => void remove()}
          >
            <Icon name="trash" size={14} /> Delete
          </button>
        </div>
      </header>

      <dl class="meta-grid">
        <div class="meta-wide">
          <dt>Received</dt>
          <dd title={request.received_at}>
            {formatDateTime(request.received_at)}{' '}
            <span class="muted">({relativeTime(request.received_at)})</span>
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>
            {formatBytes(request.size)}
            {request.size >= 1024 && (
              <span class="muted"> ({request.size.toLocaleString('en-US')} bytes)</span>
            )}
          </dd>
        </div>
        <div>
          <dt>From</dt>
          <dd class="mono">{request.remote_address || '—'}</dd>
        </div>
        <div>
          <dt>Content type</dt>
          <dd class="mono" title={request.content_type}>
            {request.content_type ? (
              request.content_type.split(';')[0]
            ) : (
              <span class="muted">none</span>
            )}
          </dd>
        </div>
        {request.answer && (
          <div class="meta-wide">
            <dt>Answered by</dt>
            <dd aria-label="Answered by">{describeAnswer(request.answer)}</dd>
          </div>
        )}
        <div class="meta-wide">
          <dt>Request id</dt>
          <dd class="mono">
            #{request.seq} · {request.id}{' '}
            <CopyButton text={request.id} iconOnly label="Copy request id" />
          </dd>
        </div>
        <ForwardNote forward={(request as Partial<RequestWithReplaysJson>).forward} />
      </dl>

      <div class="detail-tabs">
        <Tabs<DetailTab>
          label="Request parts"
          idPrefix={TABS_ID}
          value={tab}
          onChange={choose}
          options={[
            { value: 'body', label: 'Body' },
            { value: 'headers', label: 'Headers', badge: request.headers.length },
            { value: 'query', label: 'Query', badge: query.length },
            { value: 'recognition', label: 'Recognition' },
            {
              value: 'signature',
              label: 'Signature',
              ...(request.signature && { badge: request.signature.valid ? 'valid' : 'fails' }),
            },
          ]}
        />
      </div>
      <section
        class="detail-section"
        role="tabpanel"
        id={tabPanelId(TABS_ID, tab)}
        aria-labelledby={tabId(TABS_ID, tab)}
      >
        {tab === 'body' && <BodyPanel request={request} />}
        {tab === 'headers' && (
          <KvTable
            pairs={request.headers}
            caption="Request headers"
            markDuplicates
            caseInsensitive
          />
        )}
        {tab === 'query' && (
          <KvTable
            pairs={query}
            keyLabel="Parameter"
            caption="Query parameters"
            markDuplicates
            empty="No query string."
          />
        )}
        {tab === 'recognition' &&
          (summarizeRecognition(request.recognition) ? (
            <RecognitionPanel recognition={request.recognition} />
          ) : (
            <p class="muted" data-testid="no-recognition">
              Not recognised: the body is not an Ultimate Multisite event payload.
            </p>
          ))}
        {tab === 'signature' && (
          <SignaturePanel binId={binId} request={request} onBinSaved={onBinSaved} />
        )}
      </section>
      <ReplayHistory key={request.id} binId={binId} request={request} />
    </article>
  );
}

/** Which rule answered and how, in words: `rule 1 “flaky”: 503, fail_first (match 1 of the first 3)`. */
function describeAnswer(answer: NonNullable<RequestJson['answer']>): string {
  const rule =
    answer.rule === null
      ? 'no rule matched: the bin’s response'
      : `rule ${answer.rule + 1}${answer.rule_name ? ` “${answer.rule_name}”` : ''}`;
  const sent = answer.status === null ? 'no answer' : String(answer.status);
  const fault = answer.fault ? `, ${answer.fault.replace('_', ' ')}` : '';
  const detail = answer.detail ? ` (${answer.detail})` : '';
  return `${rule}: ${sent}${fault}${detail}`;
}
