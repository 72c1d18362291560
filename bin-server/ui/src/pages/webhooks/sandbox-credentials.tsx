import { useState } from 'preact/hooks';
import { useInfo } from '../../api/use-shared.js';
import { CopyButton } from '../../components/copy-button.js';

/** The plugin-compatible REST API of the sandbox, for integrations such as the Zapier app. */
export function SandboxCredentials() {
  const { data: info } = useInfo();
  const [reveal, setReveal] = useState(false);
  if (!info) return null;
  const { rest_url: restUrl, api_key: key, api_secret: secret } = info.sandbox;
  const example = `curl -u '${key}:${secret}' ${restUrl}/auth`;
  return (
    <section class="card credentials" aria-labelledby="credentials-title">
      <div class="card-head">
        <h2 id="credentials-title">Plugin REST API</h2>
        <p class="muted small">
          Connect integrations (the Zapier app, your own code) to this sandbox exactly as to a real
          network.
        </p>
      </div>
      <dl class="facts facts-stacked">
        <dt>Site URL (what the Zapier app asks for)</dt>
        <dd class="url-cell">
          <code class="mono truncate">{info.base_url}</code>
          <CopyButton text={info.base_url} iconOnly label="Copy the site URL" />
        </dd>
        <dt>REST base</dt>
        <dd class="url-cell">
          <code class="mono truncate">{restUrl}</code>
          <CopyButton text={restUrl} iconOnly label="Copy the REST base URL" />
        </dd>
        <dt>API Key</dt>
        <dd class="url-cell">
          <code class="mono truncate">{key}</code>
          <CopyButton text={key} iconOnly label="Copy the API key" />
        </dd>
        <dt>API Secret</dt>
        <dd class="url-cell">
          <code class="mono truncate">
            {reveal ? secret : '•'.repeat(Math.min(secret.length, 24))}
          </code>
          <button
            type="button"
            class="link-button"
            onClick={() => setReveal(!reveal)}
            aria-pressed={reveal}
          >
            {reveal ? 'Hide' : 'Show'}
          </button>
          <CopyButton text={secret} iconOnly label="Copy the API secret" />
        </dd>
      </dl>
      <div class="code-with-copy">
        <pre class="code-block mono small">{reveal ? example : example.replace(secret, '•••')}</pre>
        <CopyButton text={example} iconOnly label="Copy the example command" />
      </div>
    </section>
  );
}
