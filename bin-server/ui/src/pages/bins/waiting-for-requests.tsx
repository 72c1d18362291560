import { useState } from 'preact/hooks';
import type { BinJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';

/** Shell-quotes for the example command (single quotes, `'` escaped). */
const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** An empty bin: how to send it something, and a one-click sample event. */
export function WaitingForRequests({ bin }: { bin: BinJson }) {
  const { data: events } = useEvents();
  const [eventId, setEventId] = useState('payment_received');
  const [sending, setSending] = useState(false);
  const example = `curl -X POST ${sh(bin.url)} \\\n  -H 'Content-Type: application/json' \\\n  -d '{"hello":"world"}'`;
  const delivered = events?.filter((e) => e.delivery === 'webhook') ?? [];

  const sendSample = async () => {
    const event = events?.find((e) => e.id === eventId);
    if (!event) return;
    setSending(true);
    try {
      // Same origin: the capture path of this server, with the event named so it is checked too.
      const response = await fetch(
        `/b/${encodeURIComponent(bin.id)}/${encodeURIComponent(event.id)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event.sample),
        },
      );
      if (!response.ok) throw new Error(`The bin answered ${response.status}.`);
    } catch (error) {
      notify.error(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="waiting">
      <div class="waiting-pulse" aria-hidden="true">
        <Icon name="inbox" size={26} />
      </div>
      <h3>Waiting for the first request</h3>
      <p class="muted">
        Send anything to the capture URL (any method, any path below it). It shows up here the
        moment it arrives.
      </p>
      <div class="code-with-copy">
        <pre class="code-block mono">{example}</pre>
        <CopyButton text={example.replace(/\\\n\s+/g, '')} iconOnly label="Copy command" />
      </div>
      <p class="hint">
        Tip: name the event at the end of the URL (<code>{bin.url}/payment_received</code>) and each
        payload is checked against that event's schema.
      </p>
      {delivered.length > 0 && (
        <div class="sample-sender">
          <label class="compact-field">
            <span class="visually-hidden">Sample event</span>
            <select value={eventId} onChange={(e) => setEventId(e.currentTarget.value)}>
              {delivered.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="button" disabled={sending} onClick={() => void sendSample()}>
            <Icon name="send" size={14} /> Send a sample
          </button>
        </div>
      )}
    </div>
  );
}
