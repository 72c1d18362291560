import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { replayRequest, type ReplayInput } from '../../api/endpoints.js';
import type { ReplayJson, RequestJson } from '../../api/types.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { ReplayResult } from './replay-result.js';

const TARGET_KEY = 'umhooks.replay-target.';
const EXAMPLE_TARGET = 'http://localhost:3000/webhooks';
/** Signature headers an edited body no longer matches (the server says the same in its answer). */
const SIGNATURE_HEADER = /^(webhook|svix|stripe)-signature$|^x-(.+-)?(signature|hmac)(-.+)?$/i;

/** The replay target last used for a bin, remembered in this browser. */
function savedTarget(binId: string): string {
  try {
    return localStorage.getItem(TARGET_KEY + binId) ?? '';
  } catch {
    return ''; // storage disabled: nothing remembered
  }
}

function saveTarget(binId: string, url: string): void {
  try {
    localStorage.setItem(TARGET_KEY + binId, url);
  } catch {
    // storage disabled or full: the target is simply not remembered
  }
}

const headerText = (headers: ReadonlyArray<readonly [string, string]>) =>
  headers.map(([name, value]) => `${name}: ${value}`).join('\n');

/** `Name: value` lines back to pairs; the first bad line is an error naming it. */
function parseHeaders(text: string): Array<[string, string]> | string {
  const pairs: Array<[string, string]> = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Header line ${index + 1} is not "Name: value": ${line.slice(0, 60)}`;
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return pairs;
}

export interface ReplayDialogProps {
  binId: string;
  request: RequestJson;
  onClose(): void;
  onSent(replay: ReplayJson): void;
}

/**
 * Sends the request again to a URL the user gives (their app), as captured or with edits, and
 * shows the answer. The target is remembered per bin.
 */
export function ReplayDialog({ binId, request, onClose, onSent }: ReplayDialogProps) {
  const [url, setUrl] = useState(() => savedTarget(binId));
  const [editing, setEditing] = useState(false);
  const [method, setMethod] = useState(request.method);
  const [path, setPath] = useState(request.url);
  const originalHeaders = headerText(request.headers);
  const [headers, setHeaders] = useState(originalHeaders);
  const [body, setBody] = useState(request.body_text ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<ReplayJson | undefined>();
  const answerRef = useRef<HTMLElement>(null);
  // The answer comes below the form: bring it into view (the dialog body scrolls).
  useEffect(() => answerRef.current?.scrollIntoView({ block: 'nearest' }), [result]);

  const bodyEdited = editing && request.body_text !== null && body !== request.body_text;
  const signatureHeaders = request.headers
    .map(([name]) => name)
    .filter((name) => SIGNATURE_HEADER.test(name));

  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const input: ReplayInput = { url: url.trim() };
    if (editing) {
      if (method.trim() !== request.method) input.method = method.trim();
      if (path.trim() !== request.url) input.path = path.trim();
      if (headers !== originalHeaders) {
        const parsed = parseHeaders(headers);
        if (typeof parsed === 'string') return setError(parsed);
        input.headers = parsed;
      }
      if (bodyEdited) input.body = body;
    }
    setBusy(true);
    try {
      const replay = await replayRequest(binId, request.id, input);
      saveTarget(binId, input.url);
      setResult(replay);
      onSent(replay);
    } catch (e) {
      setError(e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Replay this request"
      onClose={onClose}
      size="large"
      class="replay-dialog"
      footer={
        <>
          <button type="button" class="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" form="replay-form" class="button button-primary" disabled={busy}>
            <Icon name="send" size={14} /> {busy ? 'Sending…' : result ? 'Send again' : 'Send'}
          </button>
        </>
      }
    >
      <form id="replay-form" class="form" onSubmit={(e) => void send(e)}>
        <Field
          label="Target URL"
          help="Your app, e.g. on localhost. The path and query below the bin are appended. Sent by the umhooks server; from your own machine use: umhooks replay <request> --to <url>."
        >
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              type="url"
              required
              class="mono"
              placeholder={EXAMPLE_TARGET}
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          )}
        </Field>
        <label class="choice">
          <input
            type="checkbox"
            checked={editing}
            onChange={(e) => setEditing(e.currentTarget.checked)}
          />
          <span>Edit before sending (method, path, headers, body)</span>
        </label>
        {editing && (
          <>
            <div class="form-row">
              <Field label="Method">
                {(f) => (
                  <input
                    id={f.id}
                    class="mono"
                    required
                    value={method}
                    onInput={(e) => setMethod(e.currentTarget.value)}
                  />
                )}
              </Field>
              <Field label="Path and query" help="Below the target URL.">
                {(f) => (
                  <input
                    id={f.id}
                    aria-describedby={f.describedBy}
                    class="mono"
                    required
                    value={path}
                    onInput={(e) => setPath(e.currentTarget.value)}
                  />
                )}
              </Field>
            </div>
            <Field
              label="Headers"
              help="One “Name: value” per line, in order. Host, Content-Length and hop-by-hop headers are set for the target."
            >
              {(f) => (
                <textarea
                  id={f.id}
                  aria-describedby={f.describedBy}
                  class="mono"
                  rows={6}
                  spellcheck={false}
                  value={headers}
                  onInput={(e) => setHeaders(e.currentTarget.value)}
                />
              )}
            </Field>
            {request.body_text === null ? (
              <p class="note">
                The body is binary ({request.size} bytes): it is sent exactly as captured.
              </p>
            ) : (
              <Field label="Body">
                {(f) => (
                  <textarea
                    id={f.id}
                    class="mono"
                    rows={8}
                    spellcheck={false}
                    value={body}
                    onInput={(e) => setBody(e.currentTarget.value)}
                  />
                )}
              </Field>
            )}
          </>
        )}
        {bodyEdited && signatureHeaders.length > 0 && (
          <p class="note note-warn" data-testid="replay-signature-warning">
            The body is edited: {signatureHeaders.join(', ')} still sign the captured bytes and will
            not verify at the target.
          </p>
        )}
        {error && (
          <p class="note note-error" role="alert">
            {error}
          </p>
        )}
      </form>
      {result && (
        <section ref={answerRef} class="replay-answer" aria-label="Answer" aria-live="polite">
          <h3>Answer</h3>
          <ReplayResult replay={result} />
        </section>
      )}
    </Dialog>
  );
}
