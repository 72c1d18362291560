import { useState } from 'preact/hooks';
import { formatBytes } from '../lib/format.js';
import { hexDump } from '../lib/hex.js';

const CHUNK = 16 * 256; // 256 lines at a time

export function HexView({ bytes }: { bytes: Uint8Array }) {
  const [shown, setShown] = useState(CHUNK);
  if (bytes.length === 0) return <p class="muted small">Empty body (0 bytes).</p>;
  const end = Math.min(shown, bytes.length);
  return (
    <div class="hex-view">
      <pre class="code-block mono" aria-label="Hex dump">
        {hexDump(bytes, 0, end)}
      </pre>
      {end < bytes.length && (
        <div class="hex-more">
          <span class="muted small">
            Showing {formatBytes(end)} of {formatBytes(bytes.length)}.
          </span>
          <button
            type="button"
            class="button button-small"
            onClick={() => setShown(shown + CHUNK * 4)}
          >
            Show more
          </button>
        </div>
      )}
    </div>
  );
}
