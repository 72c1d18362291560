import { useMemo, useState } from 'preact/hooks';
import type { JsonErrorJson, RequestJson } from '../../api/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { Highlighted } from '../../components/highlight.js';
import { HexView } from '../../components/hex-view.js';
import { Icon } from '../../components/icons.js';
import { JsonView } from '../../components/json-view.js';
import { KvTable } from '../../components/kv-table.js';
import { Tabs } from '../../components/tabs.js';
import { analyzeBody, LARGE_JSON_NODES, type BodyView } from '../../lib/body.js';
import { base64ToBytes } from '../../lib/bytes.js';
import { formatBytes } from '../../lib/format.js';
import { printJson } from '../../lib/json.js';
import type { MultipartPart } from '../../lib/multipart.js';

const viewLabels: Record<BodyView, string> = {
  json: 'JSON',
  raw: 'Raw',
  hex: 'Hex',
  form: 'Form',
  parts: 'Parts',
};

const RAW_LIMIT = 512 * 1024;

function RawView({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const shown = all || text.length <= RAW_LIMIT ? text : text.slice(0, RAW_LIMIT);
  return (
    <>
      <pre class="code-block mono raw-view">
        <Highlighted text={shown} />
      </pre>
      {shown.length < text.length && (
        <button type="button" class="button button-small" onClick={() => setAll(true)}>
          Show all {formatBytes(text.length)}
        </button>
      )}
    </>
  );
}

function downloadPart(part: MultipartPart): void {
  // A Blob URL of the exact bytes, typed as a download so the browser never renders it.
  const url = URL.createObjectURL(
    new Blob([part.bytes as BlobPart], { type: 'application/octet-stream' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = part.filename || `part-${part.index + 1}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function PartsView({ parts }: { parts: MultipartPart[] }) {
  return (
    <table class="data-table parts-table">
      <caption class="visually-hidden">Multipart parts</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Name</th>
          <th scope="col">File name</th>
          <th scope="col">Content type</th>
          <th scope="col">Size</th>
          <th scope="col">Content</th>
        </tr>
      </thead>
      <tbody>
        {parts.map((part) => (
          <tr key={part.index} data-part-name={part.name ?? ''}>
            <td class="muted">{part.index + 1}</td>
            <td class="mono">{part.name ?? <span class="muted">—</span>}</td>
            <td class="mono">{part.filename ?? <span class="muted">—</span>}</td>
            <td class="mono">
              {part.contentType || <span class="muted">text/plain (default)</span>}
            </td>
            <td class="nowrap">{formatBytes(part.bytes.length)}</td>
            <td class="part-content">
              {part.filename !== null || part.text === null ? (
                <div class="part-file">
                  {part.text !== null && (
                    <span class="part-preview mono">{part.text.slice(0, 120)}</span>
                  )}
                  <button
                    type="button"
                    class="button button-small"
                    onClick={() => downloadPart(part)}
                  >
                    <Icon name="download" size={14} /> Download
                  </button>
                </div>
              ) : (
                <span class="part-preview mono">
                  {part.text.length > 300 ? `${part.text.slice(0, 300)}…` : part.text}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Long lines (minified JSON) are cut around the error so the caret stays in view. */
const CONTEXT_CHARS = 60;

/** Where a body that claims JSON stops being JSON: the reason, the place, the line with a caret. */
function JsonErrorNote({ error, text }: { error: JsonErrorJson; text: string | null }) {
  // A whole request always has the place (only a summary of a large body may lack it).
  const line = error.line === undefined ? undefined : text?.split('\n')[error.line - 1];
  let excerpt: { before: string; at: string; after: string } | undefined;
  if (line !== undefined && error.column !== undefined) {
    const at = error.column - 1;
    const from = Math.max(0, at - CONTEXT_CHARS);
    excerpt = {
      before: (from > 0 ? '…' : '') + line.slice(from, at),
      at: line.slice(at, at + 1) || ' ',
      after:
        line.slice(at + 1, at + 1 + CONTEXT_CHARS) +
        (line.length > at + 1 + CONTEXT_CHARS ? '…' : ''),
    };
  }
  return (
    <div class="note note-error json-error" role="note" data-testid="json-error">
      <p>
        <strong>Not valid JSON</strong>, although the content type says so: {error.message}
        {error.line !== undefined && ` at line ${error.line}, column ${error.column}`}.
      </p>
      {excerpt && (
        <pre class="code-block mono json-error-line">
          {excerpt.before}
          <mark>{excerpt.at}</mark>
          {excerpt.after}
        </pre>
      )}
    </div>
  );
}

/** The body, shown the ways that make sense for it: JSON tree, raw text, hex, form fields, parts. */
export function BodyPanel({ request }: { request: RequestJson }) {
  const body = useMemo(
    () => analyzeBody(base64ToBytes(request.body_base64), request.body_text, request.content_type),
    [request.id],
  );
  const [chosen, setChosen] = useState<BodyView | undefined>(undefined);
  const view = chosen && body.views.includes(chosen) ? chosen : body.views[0]!;

  if (body.bytes.length === 0) {
    return <p class="muted small">No body (0 bytes).</p>;
  }
  const copyText =
    view === 'json' && body.json ? printJson(body.json.root) : (body.text ?? undefined);
  const jsonError = request.recognition?.json_error;
  return (
    <div class="body-panel">
      {jsonError && <JsonErrorNote error={jsonError} text={body.text} />}
      <div class="body-toolbar">
        <Tabs<BodyView>
          label="Body view"
          value={view}
          onChange={setChosen}
          options={body.views.map((v) => ({
            value: v,
            label: viewLabels[v],
            badge:
              v === 'form' ? body.form?.length : v === 'parts' ? body.parts?.length : undefined,
          }))}
        />
        <span class="muted small">
          {formatBytes(body.bytes.length)}
          {body.text === null && ' · binary or not UTF-8'}
        </span>
        {copyText !== undefined && (
          <CopyButton text={copyText} label="Copy body" class="button-small" />
        )}
      </div>
      <div class="body-content" data-view={view}>
        {view === 'json' && body.json && (
          <JsonView
            root={body.json.root}
            collapseBelow={body.json.nodes > LARGE_JSON_NODES ? 2 : Infinity}
          />
        )}
        {view === 'raw' && body.text !== null && <RawView text={body.text} />}
        {view === 'hex' && <HexView bytes={body.bytes} />}
        {view === 'form' && body.form && (
          <KvTable pairs={body.form} keyLabel="Field" caption="Form fields" markDuplicates />
        )}
        {view === 'parts' && body.parts && <PartsView parts={body.parts} />}
      </div>
    </div>
  );
}
