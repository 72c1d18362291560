import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { deleteWebhook, getWebhook } from '../../api/endpoints.js';
import type { LiveMessage, WebhookJson } from '../../api/types.js';
import { useEvents, useInfo } from '../../api/use-shared.js';
import { DeliveryBadge } from '../../components/badges.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { CopyButton } from '../../components/copy-button.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { useLive } from '../../live/use-live.js';
import { binIdOf } from '../../lib/bin-url.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { href, navigate, type DeliveryFilters } from '../../router.js';
import { DeliveryLog } from './delivery-log.js';
import { FireEventDialog } from './fire-event-dialog.js';
import { useSendTest } from './test-response-dialog.js';
import { WebhookFormDialog } from './webhook-form-dialog.js';
import { ActiveToggle } from './webhooks-page.js';

/** One webhook, like the plugin's Edit Webhook page: its settings, Send Test Event and its deliveries. */
export function WebhookPage({
  webhookId,
  deliveries,
}: {
  webhookId: number;
  /** The delivery log's filters, from the hash. */
  deliveries: DeliveryFilters;
}) {
  const { data: events } = useEvents();
  const { data: info } = useInfo();
  const [webhook, setWebhook] = useState<WebhookJson | undefined>();
  const [error, setError] = useState<{ text: string; missing: boolean } | undefined>();
  const [dialog, setDialog] = useState<'edit' | 'delete' | 'fire' | undefined>();
  const test = useSendTest();

  const load = () =>
    getWebhook(webhookId).then(
      (w) => {
        setWebhook(w);
        setError(undefined);
      },
      (e: unknown) =>
        setError({ text: errorMessage(e), missing: e instanceof ApiError && e.status === 404 }),
    );
  useEffect(() => {
    setWebhook(undefined);
    void load();
  }, [webhookId]);
  useLive<LiveMessage>(
    'sandbox=1',
    (message) => {
      if (message.type === 'webhook.updated' && message.webhook.id === webhookId)
        setWebhook(message.webhook);
      if (message.type === 'webhook.deleted' && message.id === webhookId) {
        notify.info('This webhook was deleted.');
        navigate(href.webhooks());
      }
    },
    () => void load(),
  );

  if (error?.missing) {
    return (
      <div class="page">
        <EmptyState icon="hook" title={`No webhook #${webhookId}`}>
          <a class="button" href={href.webhooks()}>
            All webhooks
          </a>
        </EmptyState>
      </div>
    );
  }
  if (error) {
    return (
      <div class="page">
        <ErrorNote error={error.text} onRetry={() => void load()} />
      </div>
    );
  }
  if (!webhook) return <Spinner label="Loading the webhook…" />;
  const event = events?.find((e) => e.id === webhook.event);
  const binId = binIdOf(webhook.webhook_url, info?.capture_url_prefix);

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href={href.webhooks()}>Webhooks</a>
            <span aria-hidden="true">/</span>
          </nav>
          <h1>{webhook.name}</h1>
          <p class="muted mono small">#{webhook.id}</p>
        </div>
        <div class="page-actions">
          <button type="button" class="button" onClick={() => setDialog('edit')}>
            <Icon name="edit" size={15} /> Edit
          </button>
          <button type="button" class="button" onClick={() => setDialog('fire')}>
            <Icon name="bolt" size={15} /> Fire event
          </button>
          <button
            type="button"
            class="button button-primary"
            disabled={test.busy === webhook.id}
            onClick={() => void test.send(webhook)}
          >
            <Icon name="send" size={15} />{' '}
            {test.busy === webhook.id ? 'Sending…' : 'Send Test Event'}
          </button>
        </div>
      </header>

      <section class="card" aria-label="Webhook settings">
        <dl class="facts facts-grid">
          <dt>Webhook Url</dt>
          <dd class="url-cell">
            <code class="mono">{webhook.webhook_url}</code>
            <CopyButton text={webhook.webhook_url} iconOnly label="Copy the URL" />
            {binId && (
              <a class="button button-small" href={href.bin(binId)}>
                Open the bin
              </a>
            )}
          </dd>
          <dt>Event</dt>
          <dd>
            <a href={href.events(webhook.event)}>{event?.name ?? webhook.event}</a>{' '}
            <code class="muted">{webhook.event}</code>{' '}
            {event && <DeliveryBadge delivery={event.delivery} />}
          </dd>
          <dt>Active</dt>
          <dd>
            <ActiveToggle webhook={webhook} onChange={setWebhook} />
          </dd>
          <dt>Delivery profile</dt>
          <dd>
            {webhook.profile === 'plugin'
              ? 'Plugin (as Ultimate Multisite sends)'
              : 'Standard Webhooks (signed, retried)'}
          </dd>
          {webhook.profile === 'standard' && (
            <>
              <dt>Signing secret</dt>
              <dd class="url-cell">
                <code class="mono">{webhook.secret}</code>
                <CopyButton text={webhook.secret} iconOnly label="Copy the signing secret" />
              </dd>
            </>
          )}
          <dt>Integration</dt>
          <dd>
            <span class="tag tag-muted">{webhook.integration}</span>
          </dd>
          <dt>Count</dt>
          <dd>{formatCount(webhook.event_count)} delivered</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(webhook.date_created)}</dd>
          <dt>Modified</dt>
          <dd>{formatDateTime(webhook.date_modified)}</dd>
          {webhook.date_last_failed && (
            <>
              <dt>Last failed</dt>
              <dd>{formatDateTime(webhook.date_last_failed)}</dd>
            </>
          )}
        </dl>
        <div class="card-foot">
          <button
            type="button"
            class="button button-small button-danger-quiet"
            onClick={() => setDialog('delete')}
          >
            <Icon name="trash" size={14} /> Delete webhook
          </button>
        </div>
      </section>

      <DeliveryLog
        webhookId={webhook.id}
        webhooks={[webhook]}
        filters={deliveries}
        hrefFor={(filters) => href.webhook(webhook.id, filters)}
      />

      {test.dialog}
      {dialog === 'edit' && (
        <WebhookFormDialog
          webhook={webhook}
          onClose={() => setDialog(undefined)}
          onSaved={(w) => {
            setWebhook(w);
            notify.ok('Webhook saved.');
          }}
        />
      )}
      {dialog === 'fire' && (
        <FireEventDialog initialEvent={webhook.event} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await deleteWebhook(webhook.id);
            notify.ok('Webhook deleted.');
            navigate(href.webhooks());
          }}
        >
          <strong>{webhook.name}</strong> stops receiving <code>{webhook.event}</code>.
        </ConfirmDialog>
      )}
    </div>
  );
}
