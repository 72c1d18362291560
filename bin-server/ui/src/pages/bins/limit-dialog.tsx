import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { updateBin } from '../../api/endpoints.js';
import type { BinJson } from '../../api/types.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { notify } from '../../components/toasts.js';
import { formatCount, pluralize } from '../../lib/format.js';

/**
 * How many requests the bin keeps (the newest): its own limit, up to the server's
 * --max-requests. Lowering it drops the oldest at once, so the dialog says how many go.
 */
export function LimitDialog({
  bin,
  serverMax,
  onClose,
  onSaved,
}: {
  bin: BinJson;
  /** The server's --max-requests. */
  serverMax: number;
  onClose(): void;
  onSaved(bin: BinJson): void;
}) {
  const [text, setText] = useState(String(bin.max_requests));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const stored = Math.max(0, bin.request_count - bin.evicted_count);
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  const dropped = Number.isFinite(value) && value >= 1 ? Math.max(0, stored - value) : 0;

  const store = async (limit: number | null) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await updateBin(bin.id, { max_requests: limit });
      notify.ok(`The bin keeps its newest ${pluralize(saved.max_requests, 'request')}.`);
      onSaved(saved);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Requests kept"
      onClose={onClose}
      footer={
        <>
          {bin.own_max_requests !== null && (
            <button
              type="button"
              class="button button-quiet"
              disabled={busy}
              onClick={() => void store(null)}
            >
              Use the server's ({formatCount(serverMax)})
            </button>
          )}
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="limit-form" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save limit'}
          </button>
        </>
      }
    >
      <form
        id="limit-form"
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!(value >= 1 && value <= serverMax)) {
            setError(`Give a whole number from 1 to ${formatCount(serverMax)}.`);
            return;
          }
          void store(value);
        }}
      >
        <Field
          label="Keep the newest"
          help={
            <>
              1 to {formatCount(serverMax)} (this server's <code>--max-requests</code>). When a new
              request arrives over the limit, the oldest is dropped.
              {dropped > 0 && (
                <strong class="limit-drop">
                  {' '}
                  Saving drops the {pluralize(dropped, 'oldest request', 'oldest requests')} now.
                </strong>
              )}
            </>
          }
          error={error}
        >
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              type="number"
              inputMode="numeric"
              min={1}
              max={serverMax}
              step={1}
              required
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
