import type { RequestJson } from '../../api/types.js';

/** Whether the request's signature verifies with the bin's secret (nothing when it has none). */
export function SignatureNote({ signature }: { signature: RequestJson['signature'] }) {
  if (!signature) return null;
  return (
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
  );
}
