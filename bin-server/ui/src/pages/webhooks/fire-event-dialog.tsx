import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { fireEvent } from '../../api/endpoints.js';
import type { PayloadIssue } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { notify } from '../../components/toasts.js';
import { EventHelp, EventOptions } from './webhook-form-dialog.js';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Fire an event in the sandbox: to every active webhook of that event, with the catalog sample or
 * an edited payload. A payload that fails the event's schema comes back with its issues, and can
 * still be sent on purpose.
 */
export function FireEventDialog({
  initialEvent,
  onClose,
}: {
  initialEvent?: string;
  onClose(): void;
}) {
  const { data: events } = useEvents();
  const [eventId, setEventId] = useState(initialEvent ?? '');
  const [payload, setPayload] = useState('');
  const [edited, setEdited] = useState(false);
  const [issues, setIssues] = useState<PayloadIssue[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const event = events?.find((e) => e.id === eventId);

  useEffect(() => {
    if (!eventId && events?.[0]) setEventId(events[0].id);
  }, [events]);
  useEffect(() => {
    // A new event starts from its sample unless the payload was edited by hand.
    if (event && !edited) setPayload(pretty(event.sample));
    setIssues(undefined);
  }, [eventId, event]);

  const fire = async (force: boolean) => {
    setError(undefined);
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch (e) {
      setError(`The payload is not valid JSON: ${errorMessage(e)}`);
      return;
    }
    setBusy(true);
    try {
      const result = await fireEvent({
        event: eventId,
        payload: body,
        ...(force ? { force: true } : {}),
      });
      const n = result.deliveries.length;
      if (n === 0)
        notify.info(`Fired ${eventId}, but no active webhook listens to it: nothing was sent.`);
      else notify.ok(`Fired ${eventId}: ${n} deliver${n === 1 ? 'y' : 'ies'} queued.`);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.issues) {
        setIssues(e.issues);
        setError(e.message);
      } else {
        setError(errorMessage(e));
      }
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Fire event"
      onClose={onClose}
      size="large"
      footer={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          {issues && (
            <button
              type="button"
              class="button button-danger-quiet"
              disabled={busy}
              onClick={() => void fire(true)}
            >
              Fire anyway
            </button>
          )}
          <button
            type="submit"
            form="fire-form"
            class="button button-primary"
            disabled={busy || !event}
          >
            {busy ? 'Firing…' : 'Fire event'}
          </button>
        </>
      }
    >
      <form
        id="fire-form"
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void fire(false);
        }}
      >
        <Field label="Event">
          {(f) => (
            <select id={f.id} value={eventId} onChange={(e) => setEventId(e.currentTarget.value)}>
              {events && <EventOptions events={events} />}
            </select>
          )}
        </Field>
        <EventHelp event={event} />
        <Field
          label="Payload"
          help="Starts from the event's realistic sample; edit any field. It is checked against the event's schema before anything is sent."
          aside={
            edited &&
            event && (
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  setPayload(pretty(event.sample));
                  setEdited(false);
                  setIssues(undefined);
                }}
              >
                Reset to the sample
              </button>
            )
          }
        >
          {(f) => (
            <textarea
              id={f.id}
              aria-describedby={f.describedBy}
              class="mono payload-editor"
              rows={14}
              spellcheck={false}
              value={payload}
              onInput={(e) => {
                setPayload(e.currentTarget.value);
                setEdited(true);
              }}
            />
          )}
        </Field>
        {error && (
          <div class="note note-error" role="alert">
            <p>{error}</p>
            {issues && (
              <ul class="issues">
                {issues.map((issue, i) => (
                  <li key={i}>
                    <code>{issue.path || '(body)'}</code> {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </Dialog>
  );
}
