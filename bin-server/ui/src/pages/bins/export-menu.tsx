import { useRef } from 'preact/hooks';
import { binExportUrl, type RequestFilters } from '../../api/endpoints.js';
import { Icon } from '../../components/icons.js';
import { hasFilters } from './filters-bar.js';

const FORMATS = [
  { format: 'har', label: 'HAR', note: 'every detail, for browser dev tools' },
  { format: 'jsonl', label: 'JSON lines', note: 'one request per line, with its body' },
  { format: 'csv', label: 'CSV', note: 'metadata, for a spreadsheet' },
] as const;

/** Downloads of the bin's requests — those the filters bar lets through — as HAR, JSONL or CSV. */
export function ExportMenu({ binId, filters }: { binId: string; filters: RequestFilters }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const filtered = hasFilters(filters);
  return (
    <details class="export-menu" ref={menu}>
      <summary class="button button-small">
        <Icon name="download" size={14} /> Export
      </summary>
      <div class="export-list" role="group" aria-label="Export requests">
        <p class="muted small">
          {filtered
            ? 'The requests matching the filters, oldest first.'
            : 'Every request, oldest first.'}
        </p>
        {FORMATS.map(({ format, label, note }) => (
          <a
            key={format}
            class="export-link"
            href={binExportUrl(binId, format, filters)}
            download={`${binId}.${format}`}
            data-format={format}
            onClick={() => menu.current?.removeAttribute('open')}
          >
            <span>{label}</span> <span class="muted small">{note}</span>
          </a>
        ))}
      </div>
    </details>
  );
}
