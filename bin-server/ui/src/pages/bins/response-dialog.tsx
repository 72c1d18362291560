import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { getRules, saveRules, updateBin, type BinResponseJson } from '../../api/endpoints.js';
import type { BinJson, RuleJson } from '../../api/types.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { RulesEditor } from './rules-editor.js';

const MAX_HEADERS = 10;
const MAX_BODY = 10 * 1024;

/**
 * The answer the bin gives senders: its ordered rules first (the first that matches answers), then
 * the default JSON or a status, headers, body and delay for requests no rule takes.
 */
export function ResponseDialog({
  bin,
  onClose,
  onSaved,
}: {
  bin: BinJson;
  onClose(): void;
  onSaved(bin: BinJson): void;
}) {
  const initial: BinResponseJson = bin.response ?? {
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: '{"ok":true}',
    delay_ms: 0,
  };
  const [custom, setCustom] = useState(bin.response !== null);
  const [status, setStatus] = useState(String(initial.status));
  const [headers, setHeaders] = useState<Array<[string, string]>>(
    initial.headers.map(([k, v]) => [k, v]),
  );
  const [body, setBody] = useState(initial.body);
  const [delay, setDelay] = useState(String(initial.delay_ms));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [rules, setRules] = useState<RuleJson[] | undefined>();
  useEffect(() => {
    getRules(bin.id).then(
      (saved) => setRules(saved.rules),
      (e: unknown) => setError(`The rules could not be loaded: ${errorMessage(e)}`),
    );
  }, [bin.id]);
  const bodyBytes = new TextEncoder().encode(body).length;

  const setHeader = (index: number, part: 0 | 1, value: string) =>
    setHeaders(
      headers.map((h, i) => (i === index ? (part === 0 ? [value, h[1]] : [h[0], value]) : h)),
    );

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const response: BinResponseJson | null = custom
        ? {
            status: Number(status),
            headers: headers.filter(([k]) => k.trim() !== ''),
            body,
            delay_ms: Number(delay || 0),
          }
        : null;
      // The rules first: if one is refused, the error names it and nothing else changed.
      if (rules) await saveRules(bin.id, { rules });
      const saved = await updateBin(bin.id, { response });
      const ruleCount = rules?.length ?? 0;
      notify.ok(
        `${ruleCount > 0 ? `${ruleCount} rule${ruleCount === 1 ? '' : 's'} and ` : ''}${custom ? 'custom response saved.' : 'the default response saved.'}`.replace(
          /^./,
          (c) => c.toUpperCase(),
        ),
      );
      onSaved(saved);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Response to senders"
      onClose={onClose}
      size="large"
      footer={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="response-form" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id="response-form" class="form" onSubmit={(e) => void save(e)}>
        {rules ? (
          <RulesEditor binId={bin.id} rules={rules} onChange={setRules} />
        ) : (
          <p class="muted">Loading the rules…</p>
        )}
        <fieldset class="choice-group">
          <legend>What the capture URL answers when no rule matches</legend>
          <label class="choice">
            <input type="radio" name="mode" checked={!custom} onChange={() => setCustom(false)} />
            <span>
              <strong>Default</strong>
              <span class="muted">
                {' '}
                — 200 with a JSON body naming the request id (senders that need a non-empty body,
                like the plugin's test dialog, are happy).
              </span>
            </span>
          </label>
          <label class="choice">
            <input type="radio" name="mode" checked={custom} onChange={() => setCustom(true)} />
            <span>
              <strong>Custom</strong>
              <span class="muted">
                {' '}
                — test how your sender handles errors, slow answers or specific bodies. The request
                is stored before the delay.
              </span>
            </span>
          </label>
        </fieldset>

        {custom && (
          <>
            <div class="form-row">
              <Field label="Status">
                {(f) => (
                  <input
                    id={f.id}
                    type="number"
                    min={100}
                    max={599}
                    required
                    value={status}
                    onInput={(e) => setStatus(e.currentTarget.value)}
                  />
                )}
              </Field>
              <Field label="Delay (ms)" help="0 to 30,000">
                {(f) => (
                  <input
                    id={f.id}
                    aria-describedby={f.describedBy}
                    type="number"
                    min={0}
                    max={30000}
                    step={100}
                    value={delay}
                    onInput={(e) => setDelay(e.currentTarget.value)}
                  />
                )}
              </Field>
            </div>

            <fieldset class="field">
              <legend class="field-label">
                Headers <span class="muted">(up to {MAX_HEADERS})</span>
              </legend>
              {headers.map(([name, value], index) => (
                <div class="header-row" key={index}>
                  <input
                    aria-label={`Header ${index + 1} name`}
                    placeholder="Name"
                    value={name}
                    onInput={(e) => setHeader(index, 0, e.currentTarget.value)}
                  />
                  <input
                    aria-label={`Header ${index + 1} value`}
                    placeholder="Value"
                    value={value}
                    onInput={(e) => setHeader(index, 1, e.currentTarget.value)}
                  />
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={`Remove header ${index + 1}`}
                    onClick={() => setHeaders(headers.filter((_, i) => i !== index))}
                  >
                    <Icon name="x" />
                  </button>
                </div>
              ))}
              <button
                type="button"
                class="button button-small"
                disabled={headers.length >= MAX_HEADERS}
                onClick={() => setHeaders([...headers, ['', '']])}
              >
                <Icon name="plus" size={14} /> Add header
              </button>
            </fieldset>

            <Field
              label="Body"
              help={
                <span class={bodyBytes > MAX_BODY ? 'text-error' : ''}>
                  {bodyBytes.toLocaleString('en-US')} / {MAX_BODY.toLocaleString('en-US')} bytes
                </span>
              }
            >
              {(f) => (
                <textarea
                  id={f.id}
                  aria-describedby={f.describedBy}
                  class="mono"
                  rows={8}
                  value={body}
                  onInput={(e) => setBody(e.currentTarget.value)}
                  spellcheck={false}
                />
              )}
            </Field>
          </>
        )}
        {error && (
          <p class="note note-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
