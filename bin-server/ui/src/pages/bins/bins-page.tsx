import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { createBin, deleteBin, listBins } from '../../api/endpoints.js';
import type { BinJson, LiveMessage } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { CopyButton } from '../../components/copy-button.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Field } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { useLive } from '../../live/use-live.js';
import { formatCount, relativeTime } from '../../lib/format.js';
import { href, navigate } from '../../router.js';

const ID_PATTERN = '[A-Za-z0-9_\\-]{4,64}';

function CreateBinForm({ onCreated }: { onCreated(bin: BinJson): void }) {
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const bin = await createBin({
        ...(id.trim() ? { id: id.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      onCreated(bin);
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'bin_exists'
          ? `A bin "${id}" already exists: pick another id, or open it from the list.`
          : errorMessage(e),
      );
      setBusy(false);
    }
  };
  return (
    <form
      class="card create-bin"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="create-bin-title"
    >
      <div class="card-head">
        <h2 id="create-bin-title">New bin</h2>
        <p class="muted small">
          A URL that records every request sent to it. Both fields are optional.
        </p>
      </div>
      <div class="form-row">
        <Field label="Name">
          {(f) => (
            <input
              id={f.id}
              name="name"
              maxLength={100}
              placeholder="e.g. Staging network"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label="Custom id"
          help="4–64 letters, digits, - or _. A stable id keeps the same URL across restarts; a random one is unguessable."
        >
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              name="id"
              pattern={ID_PATTERN}
              maxLength={64}
              placeholder="random if empty"
              value={id}
              onInput={(e) => setId(e.currentTarget.value)}
              spellcheck={false}
            />
          )}
        </Field>
        <div class="field field-submit">
          <button type="submit" class="button button-primary" disabled={busy}>
            <Icon name="plus" size={15} /> {busy ? 'Creating…' : 'Create bin'}
          </button>
        </div>
      </div>
      {error && (
        <p class="note note-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The bins, newest first, with their capture URLs; counts update live. */
export function BinsPage() {
  const [bins, setBins] = useState<BinJson[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<BinJson | undefined>();

  const load = () =>
    listBins().then(
      (page) => {
        setBins(page.items);
        setError(undefined);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void load();
  }, []);

  // One socket for every listed bin keeps the counts current (capped: a URL must stay short).
  const ids = bins
    ?.slice(0, 50)
    .map((b) => `bin=${encodeURIComponent(b.id)}`)
    .join('&');
  useLive<LiveMessage>(
    ids ? ids : null,
    (message) => {
      if (message.type === 'request') {
        setBins((list) =>
          list?.map((b) =>
            b.id === message.bin ? { ...b, request_count: b.request_count + 1 } : b,
          ),
        );
      } else if (message.type === 'bin.updated') {
        setBins((list) => list?.map((b) => (b.id === message.bin ? message.value : b)));
      } else if (message.type === 'bin.deleted') {
        setBins((list) => list?.filter((b) => b.id !== message.bin));
      } else if (message.type === 'requests.cleared') {
        setBins((list) =>
          list?.map((b) =>
            b.id === message.bin ? { ...b, request_count: 0, evicted_count: 0 } : b,
          ),
        );
      }
    },
    () => void load(),
  );

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Bins</h1>
          <p class="muted">
            Capture URLs for webhook senders: every request is kept byte for byte and shown live.
          </p>
        </div>
      </header>

      <CreateBinForm
        onCreated={(bin) => {
          notify.ok('Bin created: send requests to its URL.');
          navigate(href.bin(bin.id));
        }}
      />

      {error && <ErrorNote error={error} onRetry={() => void load()} />}
      {!bins && !error && <Spinner label="Loading bins…" />}
      {bins && bins.length === 0 && (
        <EmptyState icon="inbox" title="No bins yet">
          Create one above, or from a script: <code>curl -X POST {location.origin}/api/bins</code>
        </EmptyState>
      )}
      {bins && bins.length > 0 && (
        <div class="card table-card">
          <table class="data-table bins-table">
            <caption class="visually-hidden">Bins</caption>
            <thead>
              <tr>
                <th scope="col">Bin</th>
                <th scope="col">Capture URL</th>
                <th scope="col" class="num">
                  Requests
                </th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bins.map((bin) => {
                const stored = Math.min(bin.request_count - bin.evicted_count, bin.max_requests);
                return (
                  <tr key={bin.id} data-bin-id={bin.id}>
                    <td>
                      <a class="strong-link" href={href.bin(bin.id)}>
                        {bin.name || bin.id}
                      </a>
                      {bin.name && <div class="muted mono small">{bin.id}</div>}
                    </td>
                    <td>
                      <div class="url-cell">
                        <code class="mono truncate" title={bin.url}>
                          {bin.url}
                        </code>
                        <CopyButton
                          text={bin.url}
                          iconOnly
                          label={`Copy the URL of ${bin.name || bin.id}`}
                        />
                      </div>
                    </td>
                    <td class="num">{formatCount(stored)}</td>
                    <td
                      class="muted nowrap"
                      title={`Expires ${new Date(bin.expires_at).toLocaleString()} unless used`}
                    >
                      {relativeTime(bin.last_used_at)}
                    </td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="icon-button danger"
                        aria-label={`Delete ${bin.name || bin.id}`}
                        title="Delete"
                        onClick={() => setDeleting(bin)}
                      >
                        <Icon name="trash" />
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {deleting && (
        <ConfirmDialog
          title="Delete this bin?"
          confirmLabel="Delete bin"
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await deleteBin(deleting.id);
            setBins((list) => list?.filter((b) => b.id !== deleting.id));
            notify.ok('Bin deleted.');
          }}
        >
          <strong>{deleting.name || deleting.id}</strong> and its{' '}
          {formatCount(deleting.request_count - deleting.evicted_count)} requests are deleted; its
          URL answers 404 from now on.
        </ConfirmDialog>
      )}
    </div>
  );
}
