import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EventJson } from '../../api/types.js';
import { useEvents } from '../../api/use-shared.js';
import { DeliveryBadge } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { JsonView } from '../../components/json-view.js';
import { Tabs } from '../../components/tabs.js';
import { fromValue } from '../../lib/json.js';
import { href, navigate } from '../../router.js';
import { FireEventDialog } from '../webhooks/fire-event-dialog.js';
import { ScenariosSection } from './scenarios-section.js';

/** `#/events/scenarios`: no event has this id, so the Scenarios section lives there. */
const SCENARIOS = 'scenarios';

function FieldsTable({ event }: { event: EventJson }) {
  return (
    <table class="data-table fields-table">
      <caption class="visually-hidden">Payload fields of {event.name}</caption>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Key</th>
          <th scope="col">Type</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {event.fields.map((field) => (
          <tr key={field.key}>
            <td>{field.label}</td>
            <td class="mono">{field.key}</td>
            <td>
              <span class="tag tag-muted">{field.type}</span>
            </td>
            <td class="small">
              <div class="field-notes">
                {(field.optional || field.encodesAsFloat) && (
                  <div class="field-tags">
                    {field.optional && <span class="tag tag-muted">optional</span>}
                    {field.encodesAsFloat && (
                      <span
                        class="tag tag-muted"
                        title="PHP holds it as a float: json_encode writes 29.0"
                      >
                        float
                      </span>
                    )}
                  </div>
                )}
                {field.choices && (
                  <div class="field-choices">
                    {field.choices.map((choice) => (
                      <code key={choice}>{choice}</code>
                    ))}
                  </div>
                )}
                {field.help && <div class="muted">{field.help}</div>}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type SampleKind = 'sample' | 'plugin';

function EventDetail({ event }: { event: EventJson }) {
  const [sample, setSample] = useState<SampleKind>('sample');
  const [firing, setFiring] = useState(false);
  const value = sample === 'sample' ? event.sample : event.plugin_sample;
  const root = useMemo(() => fromValue(value), [value]);
  const deprecated = Object.entries(event.deprecated_args);
  return (
    <article class="event-detail" aria-labelledby="event-title">
      <header class="detail-header">
        <div>
          <h2 id="event-title">{event.name}</h2>
          <div class="event-meta">
            <code>{event.id}</code>
            <CopyButton text={event.id} iconOnly label="Copy the event id" />
            <DeliveryBadge delivery={event.delivery} />
            <span class="muted small">since {event.since}</span>
            {!event.known && <span class="tag tag-warn">not in the catalog</span>}
          </div>
        </div>
        <button type="button" class="button" onClick={() => setFiring(true)}>
          <Icon name="bolt" size={15} /> Fire in the sandbox
        </button>
      </header>
      <p class="lead">{event.description}</p>
      <p class="muted">Triggers when {event.when}.</p>
      {event.delivery === 'log-only' && (
        <p class="note note-warn">
          Log-only: the plugin writes real occurrences to its event log and never posts them to
          webhooks. Only Send Test Event posts this event's sample, so a Zap or webhook on it never
          fires in production.
        </p>
      )}
      {event.blocks.length > 0 && (
        <p class="blocks">
          <span class="muted small">Payload blocks:</span>{' '}
          {event.blocks.map((block) => (
            <span class="chip chip-static" key={block}>
              {block}
            </span>
          ))}
        </p>
      )}

      <section class="detail-section" aria-labelledby="fields-title">
        <h3 id="fields-title">
          Payload fields <span class="count">{event.fields.length}</span>
        </h3>
        <div class="card table-card">
          <FieldsTable event={event} />
        </div>
        <p class="muted small">
          Every payload also carries <code>wu_version</code>, the plugin's version.
        </p>
      </section>

      <section class="detail-section" aria-labelledby="sample-title">
        <div class="section-head">
          <h3 id="sample-title">Sample payload</h3>
          <Tabs<SampleKind>
            label="Sample"
            value={sample}
            onChange={setSample}
            options={[
              { value: 'sample', label: 'Realistic' },
              { value: 'plugin', label: 'Plugin test (Send Test Event)' },
            ]}
          />
          <CopyButton
            text={JSON.stringify(value, null, 2)}
            label="Copy JSON"
            class="button-small"
          />
        </div>
        <p class="muted small">
          {sample === 'sample'
            ? 'What a real delivery carries, with invented values.'
            : 'What the plugin’s Send Test Event posts: mock objects, ids 0, many empty values.'}
        </p>
        <div class="code-frame">
          <JsonView root={root} />
        </div>
      </section>

      {deprecated.length > 0 && (
        <section class="detail-section" aria-labelledby="deprecated-title">
          <h3 id="deprecated-title">Renamed since WP Ultimo 1.x</h3>
          <div class="card table-card">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">1.x name</th>
                  <th scope="col">2.x key</th>
                </tr>
              </thead>
              <tbody>
                {deprecated.map(([from, to]) => (
                  <tr key={from}>
                    <td class="mono">{from}</td>
                    <td class="mono">{to}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {firing && <FireEventDialog initialEvent={event.id} onClose={() => setFiring(false)} />}
    </article>
  );
}

/** Every event of the catalog: what it means, whether the plugin delivers it, its fields and sample. */
export function EventsPage({ eventId }: { eventId: string | undefined }) {
  const { data: events, error, reload } = useEvents();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (!eventId && events?.[0]) navigate(href.events(events[0].id), { replace: true });
  }, [eventId, events]);

  if (error) {
    return (
      <div class="page">
        <ErrorNote error={error} onRetry={reload} />
      </div>
    );
  }
  if (!events) return <Spinner label="Loading the event catalog…" />;
  const needle = filter.trim().toLowerCase();
  const shown = events.filter(
    (e) => !needle || `${e.id} ${e.name} ${e.description}`.toLowerCase().includes(needle),
  );
  const groups: Array<[string, EventJson[]]> = [
    ['Delivered', shown.filter((e) => e.delivery === 'webhook')],
    ['Log-only', shown.filter((e) => e.delivery === 'log-only')],
  ];
  const current = events.find((e) => e.id === eventId);
  return (
    <div class="split-page">
      <nav class="side-list" aria-label="Events">
        <div class="side-list-head">
          <h1>Events</h1>
          <span class="muted small">{events.length} in the catalog</span>
        </div>
        <label class="search-field">
          <Icon name="search" size={15} />
          <span class="visually-hidden">Filter events</span>
          <input
            type="search"
            placeholder="Filter events"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </label>
        <a
          class={`side-item ${eventId === SCENARIOS ? 'is-selected' : ''}`}
          href={href.events(SCENARIOS)}
          aria-current={eventId === SCENARIOS ? 'page' : undefined}
        >
          <span>Scenarios</span>
          <span class="muted small">signup, renewal… in order</span>
        </a>
        {groups.map(([title, list]) =>
          list.length === 0 ? null : (
            <div class="side-group" key={title}>
              <h2 class="side-group-title">{title}</h2>
              <ul>
                {list.map((e) => (
                  <li key={e.id}>
                    <a
                      class={`side-item ${e.id === eventId ? 'is-selected' : ''}`}
                      href={href.events(e.id)}
                      aria-current={e.id === eventId ? 'page' : undefined}
                    >
                      <span>{e.name}</span>
                      <code class="muted small">{e.id}</code>
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ),
        )}
      </nav>
      <div class="split-main">
        {eventId === SCENARIOS ? (
          <ScenariosSection />
        ) : current ? (
          <EventDetail key={current.id} event={current} />
        ) : eventId ? (
          <EmptyState icon="book" title={`No event "${eventId}" in the catalog`}>
            Add-ons register events of their own; their payloads are still captured and shown as
            they arrive.
          </EmptyState>
        ) : null}
      </div>
    </div>
  );
}
