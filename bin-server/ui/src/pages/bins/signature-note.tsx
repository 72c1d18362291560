import { useState } from 'preact/hooks';
import { getWebhook, updateBin } from '../../api/endpoints.js';
import type { BinJson, RequestWithReplaysJson } from '../../api/types.js';
import { notify } from '../../components/toasts.js';

/** The signature headers of Standard Webhooks (and Svix, its origin) that the request carries. */
function signatureHeaders(request: RequestWithReplaysJson): string[] {
  const names = request.headers
    .map(([name]) => name.toLowerCase())
    .filter((name) => name.startsWith('webhook-') || name.startsWith('svix-'));
  return [...new Set(names)];
}

/** One click: the sandbox webhook's secret becomes the bin's (PATCH signing_secret). */
function UseSandboxSecret({
  binId,
  source,
  onBinSaved,
}: {
  binId: string;
  source: NonNullable<RequestWithReplaysJson['sandbox']>;
  onBinSaved(bin: BinJson): void;
}) {
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    try {
      const webhook = await getWebhook(source.webhook_id);
      const saved = await updateBin(binId, { signing_secret: webhook.secret });
      notify.ok(`The bin now checks signatures with the secret of “${webhook.name}”.`);
      onBinSaved(saved);
    } catch (e) {
      notify.error(e);
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="button button-small button-primary"
      disabled={busy}
      onClick={() => void apply()}
    >
      Check with this webhook’s secret
    </button>
  );
}

/** Where the request came from, when this server's sandbox sent it. */
function SandboxOrigin({ source }: { source: NonNullable<RequestWithReplaysJson['sandbox']> }) {
  return (
    <>
      It came from this server’s sandbox webhook <strong>{source.webhook_name}</strong> (#
      {source.webhook_id}
      {source.delivery_id ? (
        <>
          , delivery <code>{source.delivery_id}</code>
        </>
      ) : (
        ', a test event'
      )}
      ).
    </>
  );
}

/**
 * The Signature tab: the check with the bin's secret, or, without one, a hint when the request
 * is signed anyway; when this server's sandbox sent it, its webhook's secret is one click away.
 */
export function SignaturePanel({
  binId,
  request,
  onBinSaved,
}: {
  binId: string;
  request: RequestWithReplaysJson;
  onBinSaved(bin: BinJson): void;
}) {
  const { signature, sandbox } = request;
  if (signature) {
    const offer = sandbox && !signature.valid && !sandbox.secret_matches;
    return (
      <>
        <dl class="meta-grid">
          <div class="meta-wide" data-testid="signature">
            <dt>Signature</dt>
            <dd>
              {signature.valid ? (
                <span class="tag tag-ok">valid</span>
              ) : (
                <span class="tag tag-error">does not verify</span>
              )}{' '}
              <span class={signature.valid ? 'muted' : ''}>{signature.message}</span>
            </dd>
          </div>
        </dl>
        {offer && (
          <div class="note signature-hint" data-testid="signature-hint">
            <p>
              <SandboxOrigin source={sandbox} /> The bin checks with another secret.
            </p>
            <UseSandboxSecret binId={binId} source={sandbox} onBinSaved={onBinSaved} />
          </div>
        )}
      </>
    );
  }
  const signed = signatureHeaders(request);
  if (signed.length === 0) {
    return (
      <p class="muted" data-testid="no-signature">
        Not checked: this bin has no signing secret. Set one with Signature in the bin's header to
        verify Standard Webhooks signatures.
      </p>
    );
  }
  return (
    <div class="note signature-hint" data-testid="signature-hint">
      <p>
        This request is signed (<code>{signed.join(', ')}</code>) but the bin has no signing secret,
        so nothing checks it. Set the sender’s <code>whsec_…</code> secret with Signature in the
        bin’s header.
      </p>
      {sandbox && sandbox.profile === 'standard' && (
        <>
          <p>
            <SandboxOrigin source={sandbox} />
          </p>
          <UseSandboxSecret binId={binId} source={sandbox} onBinSaved={onBinSaved} />
        </>
      )}
    </div>
  );
}
