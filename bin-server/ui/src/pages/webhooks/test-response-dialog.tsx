import { useState } from 'preact/hooks';
import { sendTestEvent } from '../../api/endpoints.js';
import type { TestResultJson, WebhookJson } from '../../api/types.js';
import { useInfo } from '../../api/use-shared.js';
import { StatusCode } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { binIdOf } from '../../lib/bin-url.js';
import { formatDuration } from '../../lib/format.js';
import { href } from '../../router.js';

/** The plugin's own words for a test whose answer had no body (webhook-page.js, i18n). */
const PLUGIN_ERROR_TITLE = 'Webhook Test';
const PLUGIN_ERROR_MESSAGE = 'An error occurred when sending the test webhook, please try again.';

interface TestResponseDialogProps {
  webhook: WebhookJson;
  result: TestResultJson;
  onClose(): void;
}

/**
 * What the plugin shows after Send Test Event: the remote body in a "Test Response" dialog, or its
 * error dialog when the body is empty (even on HTTP 200); a transport error is shown as the
 * response text, as in the plugin. The body is shown as text, never as HTML (the plugin itself injects it).
 */
function TestResponseDialog({ webhook, result, onClose }: TestResponseDialogProps) {
  // As in the plugin: a transport error is shown in the Test Response dialog; an empty body is an error.
  const failed = result.response === '' && result.error === null;
  const shownText = result.response || result.error?.message || '';
  const { data: info } = useInfo();
  const binId = binIdOf(webhook.webhook_url, info?.capture_url_prefix);
  const footer = (
    <>
      {binId && (
        <a class="button" href={href.bin(binId, result.request_id ?? undefined)} onClick={onClose}>
          Open the bin
        </a>
      )}
      <button type="button" class="button button-primary" onClick={onClose}>
        Close
      </button>
    </>
  );
  const facts = (
    <div class="test-facts">
      <span>
        <span class="muted">Status</span> <StatusCode status={result.status} />
      </span>
      <span>
        <span class="muted">Time</span> {formatDuration(result.duration_ms)}
      </span>
      <span class="truncate mono" title={webhook.webhook_url}>
        {webhook.webhook_url}
      </span>
    </div>
  );
  if (failed) {
    return (
      <Dialog
        title={PLUGIN_ERROR_TITLE}
        onClose={onClose}
        footer={footer}
        class="dialog-error"
        describedBy="test-error-text"
      >
        <div class="test-result-icon tone-error" aria-hidden="true">
          <Icon name="alert" size={26} />
        </div>
        <p id="test-error-text" class="test-error-text">
          {PLUGIN_ERROR_MESSAGE}
        </p>
        {facts}
        <p class="hint">
          The URL answered {result.status ?? 'without a status'} with an empty body. Ultimate
          Multisite treats an empty answer as a failure and shows this error, even on HTTP 200: make
          the endpoint answer with a body.
        </p>
      </Dialog>
    );
  }
  return (
    <Dialog title="Test Response" onClose={onClose} footer={footer} size="large">
      <div class={`test-result-icon ${result.error ? 'tone-error' : 'tone-ok'}`} aria-hidden="true">
        <Icon name={result.error ? 'alert' : 'check'} size={26} />
      </div>
      {facts}
      {result.error && (
        <p class="note note-error" role="alert">
          The request failed ({result.error.kind}). Like the plugin, the dialog shows the error
          message as the response.
        </p>
      )}
      <div class="code-with-copy">
        <pre class="code-block mono test-response-body" aria-label="Response body">
          {shownText}
        </pre>
        <CopyButton text={shownText} iconOnly label="Copy response" />
      </div>
    </Dialog>
  );
}

/** Send Test Event: a busy flag per webhook and the result dialog. */
export function useSendTest() {
  const [busy, setBusy] = useState<number | undefined>();
  const [shown, setShown] = useState<
    { webhook: WebhookJson; result: TestResultJson } | undefined
  >();
  const send = async (webhook: WebhookJson) => {
    setBusy(webhook.id);
    try {
      setShown({ webhook, result: await sendTestEvent(webhook.id) });
    } catch (error) {
      notify.error(error);
    } finally {
      setBusy(undefined);
    }
  };
  const dialog = shown ? (
    <TestResponseDialog
      webhook={shown.webhook}
      result={shown.result}
      onClose={() => setShown(undefined)}
    />
  ) : null;
  return { send, busy, dialog };
}
