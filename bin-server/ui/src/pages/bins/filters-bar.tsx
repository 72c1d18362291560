import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RequestFilters } from '../../api/endpoints.js';
import { useEvents } from '../../api/use-shared.js';
import { Icon } from '../../components/icons.js';
import { usePreference } from '../../lib/preference.js';
import { timeFormatPreference, type TimeFormat } from '../../lib/time-format.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function hasFilters(filters: RequestFilters): boolean {
  return Boolean(filters.q || filters.method || filters.event);
}

/** Text search (method, path, query, headers and body, on the server), method and event. */
export function FiltersBar({
  filters,
  onChange,
  inputRef,
}: {
  filters: RequestFilters;
  onChange(filters: RequestFilters): void;
  /** The search field, for the `/` shortcut. */
  inputRef?: RefObject<HTMLInputElement>;
}) {
  const { data: events } = useEvents();
  const [text, setText] = useState(filters.q ?? '');
  const sent = useRef(filters.q ?? '');
  // Back/forward or a pasted address changes the search from outside; our own debounced change
  // coming back is skipped, so keys typed meanwhile are not lost.
  useEffect(() => {
    if ((filters.q ?? '') !== sent.current) setText(filters.q ?? '');
    sent.current = filters.q ?? '';
  }, [filters.q]);
  const [timeFormat, setTimeFormat] = usePreference(timeFormatPreference);
  useEffect(() => {
    if (text === (filters.q ?? '')) return;
    const timer = setTimeout(() => {
      sent.current = text;
      onChange({ ...filters, q: text || undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <div class="filters" role="search">
      <label class="search-field">
        <Icon name="search" size={15} />
        <span class="visually-hidden">Search requests</span>
        <input
          type="search"
          ref={inputRef}
          placeholder="Search path, headers, body…"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <div class="filters-row">
        <label class="compact-field">
          <span class="visually-hidden">Method</span>
          <select
            value={filters.method ?? ''}
            onChange={(e) => onChange({ ...filters, method: e.currentTarget.value || undefined })}
          >
            <option value="">Any method</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label class="compact-field">
          <span class="visually-hidden">Event</span>
          <select
            value={filters.event ?? ''}
            onChange={(e) => onChange({ ...filters, event: e.currentTarget.value || undefined })}
          >
            <option value="">Any event</option>
            {events?.map((event) => (
              <option key={event.id} value={event.id}>
                {event.id}
              </option>
            ))}
          </select>
        </label>
        <label class="compact-field">
          <span class="visually-hidden">Times in the list</span>
          <select
            value={timeFormat}
            onChange={(e) => setTimeFormat(e.currentTarget.value as TimeFormat)}
          >
            <option value="absolute">Local time</option>
            <option value="relative">Time ago</option>
          </select>
        </label>
        {hasFilters(filters) && (
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => {
              sent.current = '';
              setText('');
              onChange({});
            }}
          >
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
