import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { deleteWebhook, listWebhooks, updateWebhook } from '../../api/endpoints.js';
import type { LiveMessage, WebhookJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { useLive } from '../../live/use-live.js';
import { formatCount } from '../../lib/format.js';
import { href, navigate, type DeliveryFilters } from '../../router.js';
import { DeliveryLog } from './delivery-log.js';
import { FireEventDialog } from './fire-event-dialog.js';
import { SandboxCredentials } from './sandbox-credentials.js';
import { useSendTest } from './test-response-dialog.js';
import { WebhookFormDialog } from './webhook-form-dialog.js';

function upsertWebhook(
  list: WebhookJson[] | undefined,
  webhook: WebhookJson,
): WebhookJson[] | undefined {
  if (!list) return list;
  return list.some((w) => w.id === webhook.id)
    ? list.map((w) => (w.id === webhook.id ? webhook : w))
    : [webhook, ...list];
}

export function ActiveToggle({
  webhook,
  onChange,
}: {
  webhook: WebhookJson;
  onChange(w: WebhookJson): void;
}) {
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    setBusy(true);
    try {
      onChange(await updateWebhook(webhook.id, { active: !webhook.active }));
    } catch (e) {
      notify.error(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      role="switch"
      aria-checked={webhook.active}
      aria-label={`Active: ${webhook.name}`}
      class="switch"
      disabled={busy}
      onClick={() => void toggle()}
    >
      <span class="switch-knob" aria-hidden="true" />
    </button>
  );
}

/** The sandbox network's webhooks, like Network Admin › Ultimate Multisite › Webhooks. */
export function WebhooksPage({ deliveries }: { deliveries: DeliveryFilters }) {
  const { data: events } = useEvents();
  const [webhooks, setWebhooks] = useState<WebhookJson[] | undefined>();
  const [error, setError] = useState<{ text: string; missing: boolean } | undefined>();
  const [dialog, setDialog] = useState<
    'add' | 'fire' | { edit: WebhookJson } | { remove: WebhookJson } | undefined
  >();
  const test = useSendTest();

  const load = () =>
    listWebhooks().then(
      (page) => {
        setWebhooks(page.items);
        setError(undefined);
      },
      (e: unknown) =>
        setError({ text: errorMessage(e), missing: e instanceof ApiError && e.status === 404 }),
    );
  useEffect(() => {
    void load();
  }, []);
  useLive<LiveMessage>(
    'sandbox=1',
    (message) => {
      if (message.type === 'webhook.updated')
        setWebhooks((list) => upsertWebhook(list, message.webhook));
      if (message.type === 'webhook.deleted')
        setWebhooks((list) => list?.filter((w) => w.id !== message.id));
    },
    () => void load(),
  );

  const eventName = (id: string) => events?.find((e) => e.id === id)?.name;
  const visible = webhooks;

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Webhooks</h1>
          <p class="muted">
            The sandbox network's webhooks, as in Network Admin › Ultimate Multisite › Webhooks.
            Point one at a bin, send a test event, and see exactly what your integration will
            receive.
          </p>
        </div>
        <div class="page-actions">
          <button type="button" class="button" onClick={() => setDialog('fire')} disabled={!!error}>
            <Icon name="bolt" size={15} /> Fire event
          </button>
          <button
            type="button"
            class="button button-primary"
            onClick={() => setDialog('add')}
            disabled={!!error}
          >
            <Icon name="plus" size={15} /> Add New Webhook
          </button>
        </div>
      </header>

      {error?.missing && (
        <div class="note note-warn" role="alert">
          This server has no sandbox API (<code>/api/sandbox</code> answered 404), so webhooks
          cannot be managed here yet.
        </div>
      )}
      {error && !error.missing && <ErrorNote error={error.text} onRetry={() => void load()} />}
      {!webhooks && !error && <Spinner label="Loading webhooks…" />}
      {visible && visible.length === 0 && (
        <EmptyState icon="hook" title="No webhooks yet">
          <p>Add one with a bin's URL to watch the sandbox deliver events to it.</p>
          <button type="button" class="button button-primary" onClick={() => setDialog('add')}>
            <Icon name="plus" size={15} /> Add New Webhook
          </button>
        </EmptyState>
      )}
      {visible && visible.length > 0 && (
        <div class="card table-card">
          <table class="data-table webhooks-table">
            <caption class="visually-hidden">Webhooks</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Event</th>
                <th scope="col" class="num">
                  Count
                </th>
                <th scope="col">Integration</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {visible.map((webhook) => (
                <tr key={webhook.id} data-webhook-id={webhook.id}>
                  <td>
                    <a class="strong-link" href={href.webhook(webhook.id)}>
                      {webhook.name}
                    </a>
                    {webhook.profile === 'standard' && <span class="tag tag-muted">signed</span>}
                    {webhook.hidden && <span class="tag tag-muted">hidden</span>}
                  </td>
                  <td class="mono small truncate-cell" title={webhook.webhook_url}>
                    {webhook.webhook_url}
                  </td>
                  <td>
                    <a href={href.events(webhook.event)}>
                      {eventName(webhook.event) ?? webhook.event}
                    </a>
                    <div class="muted mono small">{webhook.event}</div>
                  </td>
                  <td class="num">{formatCount(webhook.event_count)}</td>
                  <td>
                    <span class="tag tag-muted">{webhook.integration}</span>
                  </td>
                  <td>
                    <ActiveToggle
                      webhook={webhook}
                      onChange={(w) => setWebhooks((list) => upsertWebhook(list, w))}
                    />
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="button button-small"
                      disabled={test.busy === webhook.id}
                      onClick={() => void test.send(webhook)}
                    >
                      <Icon name="send" size={14} />{' '}
                      {test.busy === webhook.id ? 'Sending…' : 'Send Test Event'}
                    </button>
                    <button
                      type="button"
                      class="icon-button"
                      aria-label={`Edit ${webhook.name}`}
                      title="Edit"
                      onClick={() => setDialog({ edit: webhook })}
                    >
                      <Icon name="edit" />
                    </button>
                    <button
                      type="button"
                      class="icon-button danger"
                      aria-label={`Delete ${webhook.name}`}
                      title="Delete"
                      onClick={() => setDialog({ remove: webhook })}
                    >
                      <Icon name="trash" />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {!error && (
        <>
          {/* Full width: an opened attempt shows its request and response side by side. */}
          <DeliveryLog webhooks={webhooks} filters={deliveries} hrefFor={href.webhooks} />
          <SandboxCredentials />
        </>
      )}

      {test.dialog}
      {dialog === 'add' && (
        <WebhookFormDialog
          onClose={() => setDialog(undefined)}
          onSaved={(w) => {
            setWebhooks((list) => upsertWebhook(list, w));
            notify.ok(`Webhook "${w.name}" added.`);
            navigate(href.webhook(w.id));
          }}
        />
      )}
      {dialog === 'fire' && <FireEventDialog onClose={() => setDialog(undefined)} />}
      {typeof dialog === 'object' && 'edit' in dialog && (
        <WebhookFormDialog
          webhook={dialog.edit}
          onClose={() => setDialog(undefined)}
          onSaved={(w) => {
            setWebhooks((list) => upsertWebhook(list, w));
            notify.ok('Webhook saved.');
          }}
        />
      )}
      {typeof dialog === 'object' && 'remove' in dialog && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await deleteWebhook(dialog.remove.id);
            setWebhooks((list) => list?.filter((w) => w.id !== dialog.remove.id));
            notify.ok('Webhook deleted.');
          }}
        >
          <strong>{dialog.remove.name}</strong> stops receiving <code>{dialog.remove.event}</code>.
          Its delivery log stays.
        </ConfirmDialog>
      )}
    </div>
  );
}
