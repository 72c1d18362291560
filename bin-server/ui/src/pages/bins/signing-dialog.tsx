import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { updateBin } from '../../api/endpoints.js';
import type { BinJson } from '../../api/types.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { notify } from '../../components/toasts.js';

/**
 * The sender's Standard Webhooks secret: with it, every request of the bin shows whether its
 * signature verifies (the check runs when a request is read, over the exact bytes stored).
 */
export function SigningDialog({
  bin,
  onClose,
  onSaved,
}: {
  bin: BinJson;
  onClose(): void;
  onSaved(bin: BinJson): void;
}) {
  const [secret, setSecret] = useState(bin.signing_secret ?? '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const store = async (value: string | null) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await updateBin(bin.id, { signing_secret: value });
      notify.ok(
        value === null
          ? 'Signature checks are off for this bin.'
          : 'Signing secret saved: every request now shows whether its signature verifies.',
      );
      onSaved(saved);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Signature check"
      onClose={onClose}
      footer={
        <>
          {bin.signing_secret !== null && (
            <button
              type="button"
              class="button button-danger-quiet"
              disabled={busy}
              onClick={() => void store(null)}
            >
              Remove secret
            </button>
          )}
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="signing-form" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save secret'}
          </button>
        </>
      }
    >
      <form
        id="signing-form"
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void store(secret.trim());
        }}
      >
        <Field
          label="Signing secret"
          help={
            <>
              The <code>whsec_…</code> secret of the sender posting here (Standard Webhooks or Svix;
              a sandbox webhook with the <em>standard</em> profile shows its own). Requests already
              captured are checked too.
            </>
          }
          error={error}
        >
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              class="mono"
              required
              autocomplete="off"
              spellcheck={false}
              placeholder="whsec_…"
              value={secret}
              onInput={(e) => setSecret(e.currentTarget.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
