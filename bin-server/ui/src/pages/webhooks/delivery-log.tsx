import { Fragment } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { errorMessage } from '../../api/client.js';
import { listDeliveries, redeliverDelivery } from '../../api/endpoints.js';
import type {
  AttemptJson,
  DeliveryJson,
  DeliveryStatus,
  LiveMessage,
  WebhookJson,
} from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { LiveIndicator, StatusCode } from '../../components/badges.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { JsonView } from '../../components/json-view.js';
import { KvTable } from '../../components/kv-table.js';
import { Tabs } from '../../components/tabs.js';
import { notify } from '../../components/toasts.js';
import { useLive } from '../../live/use-live.js';
import { formatDateTime, formatDuration, relativeTime, retryTiming } from '../../lib/format.js';
import { parseJsonText } from '../../lib/json.js';
import { href, navigate, type DeliveryFilters } from '../../router.js';

const statusText: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  delivering: 'Delivering',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'gave-up': 'Gave up',
};

const outcomeText: Record<AttemptJson['outcome'], string> = {
  success: 'success',
  retry: 'will retry',
  'give-up': 'gave up',
  disable: 'webhook deactivated',
  recorded: 'recorded (plugin profile: status ignored)',
};

/** A body as sent or received: a JSON tree when it parses, with the exact text one click away. */
function TextOrJson({ text, label }: { text: string; label: string }) {
  const json = useMemo(() => parseJsonText(text), [text]);
  const [view, setView] = useState<'json' | 'raw'>('json');
  if (text === '') return <p class="muted small">Empty body.</p>;
  const raw = (
    <pre class="code-block mono" aria-label={label}>
      {text}
    </pre>
  );
  if (!json) return raw;
  return (
    <div class="text-or-json">
      <Tabs<'json' | 'raw'>
        label={`${label} view`}
        value={view}
        onChange={setView}
        options={[
          { value: 'json', label: 'JSON' },
          { value: 'raw', label: 'Exact text' },
        ]}
      />
      {view === 'json' ? (
        <JsonView root={json.root} collapseBelow={json.nodes > 4000 ? 2 : Infinity} />
      ) : (
        raw
      )}
    </div>
  );
}

function AttemptView({ attempt, retried }: { attempt: AttemptJson; retried: boolean }) {
  return (
    <li class="attempt">
      <div class="attempt-head">
        <strong>Attempt {attempt.number}</strong>
        <StatusCode status={attempt.status} />
        <span class="muted">{formatDateTime(attempt.started_at)}</span>
        <span class="muted">{formatDuration(attempt.duration_ms)}</span>
        <span
          class={`tag ${attempt.outcome === 'success' ? 'tag-ok' : attempt.outcome === 'retry' ? 'tag-warn' : 'tag-muted'}`}
        >
          {outcomeText[attempt.outcome]}
        </span>
        {attempt.next_attempt_at && (
          <span class="muted small">{retryTiming(attempt.next_attempt_at, retried)}</span>
        )}
      </div>
      {attempt.reason && <p class="muted small">{attempt.reason}</p>}
      {attempt.error && (
        <p class="note note-error">
          {attempt.error.kind}: {attempt.error.message}
        </p>
      )}
      <div class="attempt-grid">
        <div class="attempt-side" data-side="request">
          <h5>
            Request{' '}
            <span class="muted mono small attempt-url">
              {attempt.request.method} {attempt.request.url}
            </span>
          </h5>
          <KvTable pairs={attempt.request.headers} caption="Request headers" wholeNames />
          <TextOrJson text={attempt.request.body} label="Request body" />
        </div>
        <div class="attempt-side" data-side="response">
          <h5>Response</h5>
          {attempt.response_headers ? (
            <KvTable pairs={attempt.response_headers} caption="Response headers" wholeNames />
          ) : (
            <p class="muted small">No response.</p>
          )}
          {attempt.response_body !== null && (
            <TextOrJson text={attempt.response_body} label="Response body" />
          )}
          {attempt.response_truncated && (
            <p class="muted small">The body was cut at the stored limit.</p>
          )}
        </div>
      </div>
    </li>
  );
}

/**
 * Sends the delivery again now (same payload and webhook-id, the webhook's current URL); the
 * new attempt shows in the list below when it is recorded.
 */
function RedeliverButton({
  delivery,
  onDone,
}: {
  delivery: DeliveryJson;
  onDone: (delivery: DeliveryJson) => void;
}) {
  const [sending, setSending] = useState(false);
  const redeliver = async () => {
    setSending(true);
    try {
      const updated = await redeliverDelivery(delivery.id);
      onDone(updated);
      const attempt = updated.attempts[updated.attempts.length - 1];
      if (attempt?.status != null)
        notify.ok(`Redelivered: the receiver answered ${attempt.status}.`);
      else
        notify.info(`Redelivered, but no answer came: ${attempt?.error?.message ?? 'no response'}`);
    } catch (e) {
      notify.error(e);
    } finally {
      setSending(false);
    }
  };
  return (
    <button
      type="button"
      class="button button-small"
      disabled={sending}
      title="Send this delivery again now: the same payload (and webhook-id) to the webhook's current URL"
      onClick={() => void redeliver()}
    >
      <Icon name="send" size={14} /> {sending ? 'Redelivering…' : 'Redeliver'}
    </button>
  );
}

/** `renewal_payment_created` may wrap after an underscore on a phone, never inside a word. */
function BreakAtUnderscores({ text }: { text: string }) {
  const parts = text.split('_');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {i < parts.length - 1 ? `${part}_` : part}
        </Fragment>
      ))}
    </>
  );
}

function DeliveryRow({
  delivery,
  webhook,
  onChange,
}: {
  delivery: DeliveryJson;
  webhook?: WebhookJson | undefined;
  onChange: (delivery: DeliveryJson) => void;
}) {
  const [open, setOpen] = useState(false);
  const last = delivery.attempts[delivery.attempts.length - 1];
  const webhookName = webhook?.name ?? `Webhook #${delivery.webhook_id}`;
  return (
    <li class={`delivery delivery-${delivery.status}`} data-delivery-id={delivery.id}>
      <button
        type="button"
        class="delivery-summary"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span class={`pill pill-${delivery.status}`}>{statusText[delivery.status]}</span>
        <code class="delivery-event">
          <BreakAtUnderscores text={delivery.event} />
        </code>
        <span class="delivery-webhook truncate" title={webhookName}>
          {webhookName}
        </span>
        {last && <StatusCode status={last.status} />}
        <span class="muted truncate mono small delivery-url">{delivery.url}</span>
        <span class="muted small nowrap delivery-attempts">
          {delivery.attempt_count} attempt{delivery.attempt_count === 1 ? '' : 's'}
        </span>
        <time
          class="muted small nowrap delivery-time"
          dateTime={delivery.created_at}
          title={formatDateTime(delivery.created_at)}
        >
          {relativeTime(delivery.created_at)}
        </time>
        <Icon name="back" size={14} class={`chevron ${open ? 'is-open' : ''}`} />
      </button>
      {open && (
        <div class="delivery-detail">
          <dl class="meta-grid">
            <div>
              <dt>Delivery id</dt>
              <dd class="mono">{delivery.id}</dd>
            </div>
            <div>
              <dt>Webhook</dt>
              <dd>
                <a href={href.webhook(delivery.webhook_id)}>{webhookName}</a>
              </dd>
            </div>
            <div>
              <dt>Profile</dt>
              <dd>{delivery.profile}</dd>
            </div>
            {delivery.next_attempt_at && (
              <div>
                <dt>Next attempt</dt>
                <dd>{formatDateTime(delivery.next_attempt_at)}</dd>
              </div>
            )}
          </dl>
          <RedeliverButton delivery={delivery} onDone={onChange} />
          <h4>Payload fired</h4>
          <TextOrJson text={delivery.payload} label="Payload" />
          <h4>Attempts</h4>
          {delivery.attempts.length === 0 ? (
            <p class="muted small">No attempt yet.</p>
          ) : (
            <ol class="attempts">
              {delivery.attempts.map((attempt) => (
                <AttemptView
                  key={attempt.number}
                  attempt={attempt}
                  retried={attempt.number < delivery.attempts.length}
                />
              ))}
            </ol>
          )}
        </div>
      )}
    </li>
  );
}

const STATUSES = Object.keys(statusText) as DeliveryStatus[];

function matches(delivery: DeliveryJson, filters: DeliveryFilters): boolean {
  return (
    (filters.webhook === undefined || delivery.webhook_id === filters.webhook) &&
    (!filters.event || delivery.event === filters.event) &&
    (!filters.status || delivery.status === filters.status)
  );
}

/** Webhook (on the all-webhooks page), event and status; the server filters, the hash keeps them. */
function DeliveryFiltersBar({
  filters,
  webhooks,
  onChange,
}: {
  filters: DeliveryFilters;
  /** Offered as a filter when the log is not one webhook's already. */
  webhooks?: WebhookJson[] | undefined;
  onChange(filters: DeliveryFilters): void;
}) {
  const { data: events } = useEvents();
  const set = (patch: DeliveryFilters) => onChange({ ...filters, ...patch });
  const active = filters.webhook !== undefined || filters.event || filters.status;
  return (
    <div class="filters-row delivery-filters" role="search" aria-label="Filter deliveries">
      {webhooks && (
        <label class="compact-field">
          <span class="visually-hidden">Webhook</span>
          <select
            name="webhook"
            value={filters.webhook === undefined ? '' : String(filters.webhook)}
            onChange={(e) => {
              const value = e.currentTarget.value;
              set({ webhook: value ? Number(value) : undefined });
            }}
          >
            <option value="">Any webhook</option>
            {filters.webhook !== undefined && !webhooks.some((w) => w.id === filters.webhook) && (
              <option value={String(filters.webhook)}>Webhook #{filters.webhook}</option>
            )}
            {webhooks.map((w) => (
              <option key={w.id} value={String(w.id)}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label class="compact-field">
        <span class="visually-hidden">Event</span>
        <select
          name="event"
          value={filters.event ?? ''}
          onChange={(e) => set({ event: e.currentTarget.value || undefined })}
        >
          <option value="">Any event</option>
          {filters.event && !events?.some((event) => event.id === filters.event) && (
            <option value={filters.event}>{filters.event}</option>
          )}
          {events?.map((event) => (
            <option key={event.id} value={event.id}>
              {event.id}
            </option>
          ))}
        </select>
      </label>
      <label class="compact-field">
        <span class="visually-hidden">Status</span>
        <select
          name="status"
          value={filters.status ?? ''}
          onChange={(e) => set({ status: (e.currentTarget.value || undefined) as DeliveryStatus })}
        >
          <option value="">Any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusText[status]}
            </option>
          ))}
        </select>
      </label>
      {active && (
        <button type="button" class="button button-small button-quiet" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/**
 * Deliveries newest first, each with its attempts; new ones and updates arrive live. The filters
 * live in the page's hash (`hrefFor` builds it), so a filtered log can be shared and reloaded.
 */
export function DeliveryLog({
  webhookId,
  webhooks,
  filters,
  hrefFor,
}: {
  /** One webhook's log (its page); otherwise every webhook's, with a webhook filter. */
  webhookId?: number;
  webhooks?: WebhookJson[] | undefined;
  filters: DeliveryFilters;
  hrefFor(filters: DeliveryFilters): string;
}) {
  const [items, setItems] = useState<DeliveryJson[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const webhook = webhookId ?? filters.webhook;
  const { event, status } = filters;
  const query = useMemo(
    () => ({
      ...(webhook !== undefined && { webhook }),
      ...(event && { event }),
      ...(status && { status }),
    }),
    [webhook, event, status],
  );

  const load = useCallback(() => {
    let current = true;
    listDeliveries({ ...query, limit: 25 }).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setCursor(page.next_cursor);
        setError(undefined);
      },
      (e: unknown) => {
        if (current) setError(errorMessage(e));
      },
    );
    // A filter changed before the answer came: the older answer is dropped.
    return () => {
      current = false;
    };
  }, [query]);
  useEffect(() => {
    setItems(undefined);
    return load();
  }, [load]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await listDeliveries({ ...query, cursor, limit: 25 });
      setItems((list) => [
        ...(list ?? []),
        ...page.items.filter((d) => !list?.some((x) => x.id === d.id)),
      ]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  /**
   * A shown delivery is updated even when its new status leaves the filter (a failed one being
   * retried stays in view); a new one joins only if it matches `only`.
   */
  const update = useCallback(
    (delivery: DeliveryJson, only?: DeliveryFilters) =>
      setItems((list) => {
        if (!list) return list;
        const index = list.findIndex((d) => d.id === delivery.id);
        if (index === -1) return only && !matches(delivery, only) ? list : [delivery, ...list];
        // Live pushes and a redelivery's answer may arrive in either order: keep the newer.
        if (list[index]!.attempts.length > delivery.attempts.length) return list;
        const copy = list.slice();
        copy[index] = delivery;
        return copy;
      }),
    [],
  );
  const state = useLive<LiveMessage>(
    'sandbox=1',
    (message) => {
      if (message.type !== 'delivery') return;
      update(message.delivery, query);
    },
    load,
  );

  const byId = new Map(webhooks?.map((w) => [w.id, w]));
  const filtered = webhook !== undefined || event !== undefined || status !== undefined;
  return (
    <section class="card delivery-log" aria-labelledby="delivery-log-title">
      <div class="card-head card-head-row">
        <h2 id="delivery-log-title">Delivery log</h2>
        <LiveIndicator state={state} />
      </div>
      <DeliveryFiltersBar
        filters={filters}
        webhooks={webhookId === undefined ? webhooks : undefined}
        onChange={(next) => navigate(hrefFor(next))}
      />
      {error && <ErrorNote error={error} onRetry={load} />}
      {!items && !error && <Spinner label="Loading deliveries…" />}
      {items && items.length === 0 && !filtered && (
        <EmptyState icon="send" title="No deliveries yet">
          Fire an event, and every active webhook subscribed to it gets a delivery recorded here
          with each attempt. (Send Test Event is not logged, as in the plugin.)
        </EmptyState>
      )}
      {items && items.length === 0 && filtered && (
        <EmptyState icon="search" title="No deliveries match these filters">
          <a href={hrefFor({})}>Show every delivery</a>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <ul class="deliveries">
          {items.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              delivery={delivery}
              webhook={byId.get(delivery.webhook_id)}
              onChange={update}
            />
          ))}
        </ul>
      )}
      {cursor && (
        <button
          type="button"
          class="button button-small"
          disabled={loadingMore}
          onClick={() => void more()}
        >
          {loadingMore ? 'Loading…' : 'Load older deliveries'}
        </button>
      )}
    </section>
  );
}
