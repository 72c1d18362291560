import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { createWebhook, listBins, updateWebhook } from '../../api/endpoints.js';
import type { BinJson, EventJson, Profile, WebhookJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { DeliveryBadge } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';

const MAX_URL = 191;

export function EventOptions({ events }: { events: EventJson[] }) {
  const delivered = events.filter((e) => e.delivery === 'webhook');
  const logOnly = events.filter((e) => e.delivery === 'log-only');
  return (
    <>
      <optgroup label="Delivered by the plugin">
        {delivered.map((e) => (
          <option key={e.id} value={e.id} title={e.description}>
            {e.name}
          </option>
        ))}
      </optgroup>
      {logOnly.length > 0 && (
        <optgroup label="Log-only (only Send Test Event posts them)">
          {logOnly.map((e) => (
            <option key={e.id} value={e.id} title={e.description}>
              {e.name}
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}

export function EventHelp({ event }: { event: EventJson | undefined }) {
  if (!event) return null;
  return (
    <div class="event-help">
      <div class="event-help-head">
        <code>{event.id}</code> <DeliveryBadge delivery={event.delivery} />
        <span class="muted small">since {event.since}</span>
      </div>
      <p>{event.description}</p>
      {event.delivery === 'log-only' && (
        <p class="note note-warn">
          The plugin never posts real occurrences of this event to webhooks; it only writes them to
          its event log. Send Test Event (and this sandbox's Fire event) still post its sample.
        </p>
      )}
    </div>
  );
}

const profiles: Record<Profile, { title: string; text: string }> = {
  plugin: {
    title: 'Plugin',
    text: 'Exactly what Ultimate Multisite sends: flat JSON, WordPress User-Agent, no signature, one attempt, status ignored.',
  },
  standard: {
    title: 'Standard Webhooks',
    text: 'Signed with this webhook’s secret (webhook-id, webhook-timestamp, webhook-signature), retried with backoff; 410 Gone deactivates it.',
  },
};

export interface WebhookFormDialogProps {
  /** Editing this one; adding a new one when absent. */
  webhook?: WebhookJson;
  onClose(): void;
  onSaved(webhook: WebhookJson): void;
}

/** Add New Webhook / Edit Webhook, with the plugin's fields and help texts. */
export function WebhookFormDialog({ webhook, onClose, onSaved }: WebhookFormDialogProps) {
  const { data: events } = useEvents();
  const [bins, setBins] = useState<BinJson[]>([]);
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.webhook_url ?? '');
  const [eventId, setEventId] = useState(webhook?.event ?? '');
  const [profile, setProfile] = useState<Profile>(webhook?.profile ?? 'plugin');
  const [active, setActive] = useState(webhook?.active ?? true);
  const [error, setError] = useState<{ text: string; field?: string } | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listBins().then(
      (page) => setBins(page.items),
      () => setBins([]),
    );
  }, []);
  useEffect(() => {
    if (!eventId && events?.[0]) setEventId(events[0].id);
  }, [events]);

  /**
   * A bin's URL for this webhook: `<bin url>/<event>`, so the bin checks each delivery against
   * the event it was sent as (ties like payment_received/created/updated cannot be told apart
   * from the body alone).
   */
  const binUrlFor = (bin: BinJson, event = eventId) => (event ? `${bin.url}/${event}` : bin.url);
  const pickedBin = bins.find(
    (bin) => url === bin.url || events?.some((e) => url === binUrlFor(bin, e.id)),
  );
  // A picked bin follows the event: choosing another rewrites the URL's last segment.
  const chooseEvent = (id: string) => {
    setEventId(id);
    if (pickedBin) setUrl(binUrlFor(pickedBin, id));
  };

  const event = events?.find((e) => e.id === eventId);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const input = { name: name.trim(), webhook_url: url.trim(), event: eventId, active, profile };
      const saved = webhook ? await updateWebhook(webhook.id, input) : await createWebhook(input);
      onSaved(saved);
      onClose();
    } catch (err) {
      setError({ text: errorMessage(err), field: err instanceof ApiError ? err.field : undefined });
      setBusy(false);
    }
  };
  const fieldError = (field: string) => (error?.field === field ? error.text : undefined);

  return (
    <Dialog
      title={webhook ? 'Edit Webhook' : 'Add New Webhook'}
      onClose={onClose}
      size="large"
      footer={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="webhook-form" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : webhook ? 'Save Webhook' : 'Add New Webhook'}
          </button>
        </>
      }
    >
      <form id="webhook-form" class="form" onSubmit={(e) => void submit(e)}>
        <Field
          label="Webhook Name"
          help="A name to easily identify your webhook."
          error={fieldError('name')}
        >
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              name="name"
              required
              minLength={2}
              placeholder="E.g. Zapier Integration"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>

        <Field
          label="Event"
          help="The event that will trigger the webhook."
          error={fieldError('event')}
        >
          {(f) => (
            <select
              id={f.id}
              aria-describedby={f.describedBy}
              name="event"
              required
              value={eventId}
              onChange={(e) => chooseEvent(e.currentTarget.value)}
            >
              {events ? (
                <EventOptions events={events} />
              ) : (
                <option value="">Loading events…</option>
              )}
              {webhook && events && !events.some((e) => e.id === webhook.event) && (
                <option value={webhook.event}>{webhook.event} (not in the catalog)</option>
              )}
            </select>
          )}
        </Field>
        <EventHelp event={event} />

        <Field
          label="Webhook Url"
          help={
            <>
              The url of your webhook.{' '}
              {url.length > 150 && (
                <span>
                  {url.length} / {MAX_URL} characters (the plugin's limit).
                </span>
              )}
            </>
          }
          error={fieldError('webhook_url')}
        >
          {(f) => (
            <>
              <input
                id={f.id}
                aria-describedby={f.describedBy}
                name="webhook_url"
                type="url"
                required
                maxLength={MAX_URL}
                placeholder="E.g. https://example.com/"
                list={`${f.id}-bins`}
                value={url}
                onInput={(e) => setUrl(e.currentTarget.value)}
                spellcheck={false}
              />
              <datalist id={`${f.id}-bins`}>
                {bins.map((bin) => (
                  <option key={bin.id} value={binUrlFor(bin)}>
                    {bin.name || bin.id}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
        {bins.length > 0 && (
          <div class="bin-picks">
            <span class="muted small">Use a bin:</span>
            {bins.slice(0, 6).map((bin) => (
              <button
                type="button"
                key={bin.id}
                class={`chip ${pickedBin === bin ? 'is-selected' : ''}`}
                onClick={() => setUrl(binUrlFor(bin))}
                title={binUrlFor(bin)}
              >
                {bin.name || bin.id}
              </button>
            ))}
          </div>
        )}

        <fieldset class="choice-group">
          <legend>Delivery profile</legend>
          {(Object.keys(profiles) as Profile[]).map((p) => (
            <label class="choice" key={p}>
              <input
                type="radio"
                name="profile"
                value={p}
                checked={profile === p}
                onChange={() => setProfile(p)}
              />
              <span>
                <strong>{profiles[p].title}</strong>
                <span class="muted"> — {profiles[p].text}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {profile === 'standard' && (
          <div class="secret-box">
            <span class="field-label">Signing secret</span>
            {webhook ? (
              <div class="url-cell">
                <code class="mono">{webhook.secret}</code>
                <CopyButton text={webhook.secret} iconOnly label="Copy secret" />
              </div>
            ) : (
              <p class="muted small">
                A secret (whsec_…) is generated when you save and shown on the webhook's page.
              </p>
            )}
          </div>
        )}

        <label class="check">
          <input
            type="checkbox"
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
          />
          <span>Active</span>
          <span class="muted small">
            Fire event delivers to active webhooks only. (The real plugin also sends to inactive
            ones.)
          </span>
        </label>

        {error && !error.field && (
          <p class="note note-error" role="alert">
            {error.text}
          </p>
        )}
      </form>
    </Dialog>
  );
}
