import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { listWebhooks } from '../../api/endpoints.js';
import type { DeliveryJson, LiveMessage, WebhookJson } from '../../api/types.js';
import { LiveIndicator, StatusCode } from '../../components/badges.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Field } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { JsonView } from '../../components/json-view.js';
import { fromValue } from '../../lib/json.js';
import { useLive } from '../../live/use-live.js';
import { href } from '../../router.js';
import {
  getDelivery,
  listScenarios,
  runScenario,
  type ScenarioJson,
  type ScenarioRunBody,
  type ScenarioRunJson,
} from './scenarios-api.js';

const statusText: Record<DeliveryJson['status'], string> = {
  pending: 'Pending',
  delivering: 'Delivering',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'gave-up': 'Gave up',
};

/** How far a delivery has come: attempts first, then pending < delivering < a result. */
function progress(delivery: DeliveryJson): number {
  const stage = delivery.status === 'pending' ? 0 : delivery.status === 'delivering' ? 1 : 2;
  return delivery.attempt_count * 3 + stage;
}

/** `key=value` lines and `-key` lines (unset) of the overrides box. */
function parseOverrides(text: string): { set: Record<string, string>; unset: string[] } {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('-')) {
      unset.push(line.slice(1).trim());
      continue;
    }
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`"${line}" is not key=value (or -key to remove a field).`);
    set[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return { set, unset };
}

function Payload({ payload }: { payload: Record<string, unknown> }) {
  const root = useMemo(() => fromValue(payload), [payload]);
  return (
    <div class="code-frame">
      <JsonView root={root} />
    </div>
  );
}

function DeliveryLine({
  id,
  delivery,
  webhook,
}: {
  id: string;
  delivery: DeliveryJson | undefined;
  webhook: WebhookJson | undefined;
}) {
  const status = delivery?.status ?? 'pending';
  const last = delivery?.attempts.at(-1);
  return (
    <li class="scenario-delivery" data-delivery-id={id}>
      <span class={`pill pill-${status}`}>{statusText[status]}</span>
      {last && <StatusCode status={last.status} />}
      {webhook ? (
        <a href={href.webhook(webhook.id)}>{webhook.name}</a>
      ) : (
        <span class="muted">webhook {delivery?.webhook_id ?? ''}</span>
      )}
      <span class="muted small mono truncate">{delivery?.url ?? ''}</span>
      {last?.error && <span class="small field-error">{last.error.message}</span>}
    </li>
  );
}

function Timeline({
  run,
  deliveries,
  webhooks,
}: {
  run: ScenarioRunJson;
  deliveries: ReadonlyMap<string, DeliveryJson>;
  webhooks: ReadonlyMap<number, WebhookJson>;
}) {
  const total = run.events.reduce((n, e) => n + e.deliveries.length, 0);
  return (
    <section class="scenario-run" aria-labelledby="scenario-run-title">
      <h4 id="scenario-run-title">
        Fired {run.events.length} events (seed <code>{run.seed}</code>) — {total}{' '}
        {total === 1 ? 'delivery' : 'deliveries'}
      </h4>
      <ol class="scenario-timeline">
        {run.events.map((step) => (
          <li class="scenario-step" key={step.index} data-event={step.event}>
            <div class="scenario-step-head">
              <span class="muted small mono nowrap">{step.at}</span>
              <a class="mono" href={href.events(step.event)}>
                {step.event}
              </a>
            </div>
            <p class="muted small">{step.cause}</p>
            {step.deliveries.length === 0 ? (
              <p class="small muted scenario-no-webhook">No active webhook subscribes to it.</p>
            ) : (
              <ul class="scenario-deliveries">
                {step.deliveries.map((id) => {
                  const delivery = deliveries.get(id);
                  return (
                    <DeliveryLine
                      key={id}
                      id={id}
                      delivery={delivery}
                      webhook={delivery ? webhooks.get(delivery.webhook_id) : undefined}
                    />
                  );
                })}
              </ul>
            )}
            <details>
              <summary class="small">Payload</summary>
              <Payload payload={step.payload} />
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The Events page's Scenarios: pick one, run it (seed, delay, overrides), and watch the timeline
 * of what was fired and what each sandbox webhook got, as deliveries are pushed live.
 */
export function ScenariosSection() {
  const [scenarios, setScenarios] = useState<ScenarioJson[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState('signup');
  const [seed, setSeed] = useState('');
  const [delay, setDelay] = useState('0');
  const [overrides, setOverrides] = useState('');
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const [run, setRun] = useState<ScenarioRunJson | null>(null);
  const [deliveries, setDeliveries] = useState<ReadonlyMap<string, DeliveryJson>>(new Map());
  const [webhooks, setWebhooks] = useState<ReadonlyMap<number, WebhookJson>>(new Map());

  const load = () => {
    setLoadError(null);
    listScenarios()
      .then(({ items }) => setScenarios(items))
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  };
  useEffect(load, []);

  // A fetch answered after a newer live push must not take the delivery back in time.
  const remember = (delivery: DeliveryJson) =>
    setDeliveries((map) => {
      const known = map.get(delivery.id);
      if (known && progress(known) > progress(delivery)) return map;
      return new Map(map).set(delivery.id, delivery);
    });
  // Every delivery pushed is kept: some finish before the run's answer names them.
  const refetch = (ids: readonly string[]) => {
    for (const id of ids) void getDelivery(id).then(remember, () => undefined);
  };
  const liveState = useLive<LiveMessage>(
    'sandbox=1',
    (message) => {
      if (message.type === 'delivery') remember(message.delivery);
    },
    () => run && refetch(run.events.flatMap((e) => e.deliveries)),
  );

  const start = async (event: Event) => {
    event.preventDefault();
    setRunError(null);
    const body: ScenarioRunBody = {};
    try {
      const parsed = parseOverrides(overrides);
      if (Object.keys(parsed.set).length > 0) body.set = parsed.set;
      if (parsed.unset.length > 0) body.unset = parsed.unset;
    } catch (e) {
      setRunError(errorMessage(e));
      return;
    }
    if (seed.trim() !== '') body.seed = Number(seed);
    const delayMs = Number(delay);
    if (delayMs > 0) body.delay_ms = delayMs;
    setRunning(true);
    try {
      const [answer, hooks] = await Promise.all([
        runScenario(selected, body),
        listWebhooks().catch(() => ({ items: [] as WebhookJson[] })),
      ]);
      setWebhooks(new Map(hooks.items.map((w) => [w.id, w])));
      setRun(answer);
      refetch(answer.events.flatMap((e) => e.deliveries));
    } catch (e) {
      const issues =
        e instanceof ApiError && e.issues ? e.issues.map((i) => `\n• ${i.message}`) : [];
      setRunError(`${errorMessage(e)}${issues.slice(0, 8).join('')}`);
    } finally {
      setRunning(false);
    }
  };

  if (loadError) return <ErrorNote error={loadError} onRetry={load} />;
  if (!scenarios) return <Spinner label="Loading the scenarios…" />;
  const current = scenarios.find((s) => s.name === selected) ?? scenarios[0];
  if (!current) return <EmptyState icon="book" title="No scenarios" />;
  return (
    <article class="event-detail scenarios" aria-labelledby="scenarios-title">
      <header class="detail-header">
        <div>
          <h2 id="scenarios-title">Scenarios</h2>
          <p class="muted">
            Realistic sequences of events, in the order the plugin fires them, for one generated
            customer: the same ids, names, amounts and dates across the run. Each event goes to the
            sandbox webhooks subscribed to it, like Fire.
          </p>
        </div>
        <LiveIndicator state={liveState} />
      </header>
      <div class="chips" role="radiogroup" aria-label="Scenario">
        {scenarios.map((s) => (
          <button
            type="button"
            role="radio"
            aria-checked={s.name === current.name}
            class={`chip ${s.name === current.name ? 'is-selected' : ''}`}
            key={s.name}
            onClick={() => setSelected(s.name)}
          >
            {s.name}
          </button>
        ))}
      </div>
      <section class="detail-section" aria-labelledby="scenario-title">
        <h3 id="scenario-title">{current.title}</h3>
        <p class="lead">{current.description}</p>
        <p class="blocks">
          {current.events.map((e, i) => (
            <span class="chip chip-static mono" key={i}>
              {i + 1}. {e}
            </span>
          ))}
        </p>
        <details>
          <summary class="small">What the plugin leaves open, and where this comes from</summary>
          <ul class="small">
            {current.open.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <ul class="small mono">
            {current.sources.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
        <form class="scenario-form" onSubmit={start}>
          <Field label="Seed" help="The same seed gives the same payloads; empty: a new one.">
            {({ id, describedBy }) => (
              <input
                id={id}
                aria-describedby={describedBy}
                inputMode="numeric"
                pattern="\d*"
                value={seed}
                placeholder="random"
                onInput={(e) => setSeed(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Delay between events (ms)">
            {({ id, describedBy }) => (
              <input
                id={id}
                aria-describedby={describedBy}
                type="number"
                min={0}
                max={10000}
                value={delay}
                onInput={(e) => setDelay(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field
            label="Overrides"
            help="One per line: key=value (dot paths for nested payloads), or -key to remove a field. Applied to every event that has the field."
            class="scenario-overrides"
          >
            {({ id, describedBy }) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                rows={2}
                spellcheck={false}
                placeholder="customer_name=Ada Lovelace"
                value={overrides}
                onInput={(e) => setOverrides(e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" class="button" disabled={running}>
            <Icon name="bolt" size={15} /> {running ? 'Running…' : `Run ${current.name}`}
          </button>
        </form>
        {runError && (
          <p class="note note-warn scenario-error" role="alert">
            {runError}
          </p>
        )}
      </section>
      {run && <Timeline run={run} deliveries={deliveries} webhooks={webhooks} />}
    </article>
  );
}
