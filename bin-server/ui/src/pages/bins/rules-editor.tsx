import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/client.js';
import { listRequests, previewRules } from '../../api/endpoints.js';
import type { RuleJson, RulePreviewJson, RequestSummaryJson } from '../../api/types.js';
import { Icon } from '../../components/icons.js';

type Condition = NonNullable<RuleJson['match']['query']>[number];
type Fault = NonNullable<RuleJson['fault']>;
type FaultKind = Fault['kind'] | '';

const MAX_RULES = 50;

/**
 * Conditions as lines, one per condition: `name = value`, `name in a|b|c`, `name exists`,
 * `name !exists`. Written and read here only; the API checks what is sent.
 */
function conditionLines(conditions: readonly Condition[] | undefined): string {
  return (conditions ?? [])
    .map((c) => {
      if (c.exists !== undefined) return `${c.field} ${c.exists ? 'exists' : '!exists'}`;
      if (c.one_of !== undefined) return `${c.field} in ${c.one_of.join('|')}`;
      return `${c.field} = ${c.equals ?? ''}`;
    })
    .join('\n');
}

function parseConditions(text: string): Condition[] | undefined {
  const conditions: Condition[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(!?)exists$/.exec(line))) {
      conditions.push({ field: m[1]!, exists: m[2] !== '!' });
    } else if ((m = /^(\S+)\s+in\s+(.+)$/.exec(line))) {
      conditions.push({ field: m[1]!, one_of: m[2]!.split('|').map((v) => v.trim()) });
    } else if ((m = /^([^=\s]+)\s*=\s?(.*)$/.exec(line))) {
      conditions.push({ field: m[1]!, equals: m[2]! });
    } else {
      conditions.push({ field: line, exists: true });
    }
  }
  return conditions.length > 0 ? conditions : undefined;
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);

function newRule(): RuleJson {
  return { name: '', match: {}, status: 200, headers: [], body: '', template: false, delay_ms: 0 };
}

function faultFor(kind: FaultKind, before: Fault | undefined): Fault | undefined {
  switch (kind) {
    case '':
      return undefined;
    case 'fail_first':
      return { kind, count: 3, status: 503 };
    case 'fail_percent':
      return { kind, percent: 50, status: 503 };
    case 'trickle':
      return { kind, bytes_per_second: 100 };
    default:
      return before?.kind === kind ? before : { kind };
  }
}

function NumberInput({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number | undefined;
  min: number;
  max: number;
  onChange(value: number | undefined): void;
}) {
  return (
    <label class="rule-inline">
      <span>{label}</span>
      <input
        type="number"
        aria-label={label}
        min={min}
        max={max}
        value={value ?? ''}
        onInput={(e) => {
          const text = e.currentTarget.value;
          onChange(text === '' ? undefined : Number(text));
        }}
      />
    </label>
  );
}

/** One rule's form: what it matches, what it answers, which failure it injects. */
function RuleCard({
  rule,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  rule: RuleJson;
  index: number;
  count: number;
  onChange(rule: RuleJson): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}) {
  const label = `Rule ${index + 1}`;
  const match = rule.match;
  const set = (patch: Partial<RuleJson>) => onChange({ ...rule, ...patch });
  const setMatch = (patch: Partial<RuleJson['match']>) => {
    const next: RuleJson['match'] = { ...match, ...patch };
    for (const key of Object.keys(next) as Array<keyof RuleJson['match']>) {
      if (next[key] === undefined) delete next[key];
    }
    set({ match: next });
  };
  // Condition texts are kept as typed (parsed on every change), so a half-written line stays.
  const [texts, setTexts] = useState({
    query: conditionLines(match.query),
    headers: conditionLines(match.headers),
    body: conditionLines(match.body),
  });
  const conditionField = (key: 'query' | 'headers' | 'body', title: string) => (
    <label class="rule-block">
      <span>{title}</span>
      <textarea
        aria-label={`${label} ${title}`}
        class="mono"
        rows={2}
        placeholder="name = value · name in a|b · name exists"
        value={texts[key]}
        onInput={(e) => {
          const text = e.currentTarget.value;
          setTexts({ ...texts, [key]: text });
          setMatch({ [key]: parseConditions(text) });
        }}
      />
    </label>
  );
  const fault = rule.fault;

  return (
    <li class="rule-card" aria-label={label}>
      <div class="rule-head">
        <strong>{label}</strong>
        <input
          aria-label={`${label} name`}
          placeholder="Name (optional)"
          value={rule.name}
          onInput={(e) => set({ name: e.currentTarget.value })}
        />
        <button
          type="button"
          class="icon-button"
          aria-label={`Move ${label.toLowerCase()} up`}
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label={`Move ${label.toLowerCase()} down`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label={`Delete ${label.toLowerCase()}`}
          onClick={onRemove}
        >
          <Icon name="x" />
        </button>
      </div>
      <fieldset class="rule-section">
        <legend>When</legend>
        <label class="rule-inline">
          <span>Methods</span>
          <input
            aria-label={`${label} methods`}
            placeholder="any (e.g. POST, PUT)"
            value={(match.methods ?? []).join(', ')}
            onInput={(e) => {
              const methods = list(e.currentTarget.value);
              setMatch({ methods: methods.length > 0 ? methods : undefined });
            }}
          />
        </label>
        <label class="rule-inline">
          <span>Path</span>
          <input
            aria-label={`${label} path`}
            class="mono"
            placeholder="any (e.g. /orders/*, /**)"
            value={match.path ?? ''}
            onInput={(e) => setMatch({ path: e.currentTarget.value || undefined })}
          />
        </label>
        <label class="rule-inline">
          <span>Events</span>
          <input
            aria-label={`${label} events`}
            placeholder="any (e.g. payment_received)"
            value={(match.events ?? []).join(', ')}
            onInput={(e) => {
              const events = list(e.currentTarget.value);
              setMatch({ events: events.length > 0 ? events : undefined });
            }}
          />
        </label>
        {conditionField('query', 'Query')}
        {conditionField('headers', 'Headers')}
        {conditionField('body', 'JSON fields')}
      </fieldset>
      <fieldset class="rule-section">
        <legend>Answer</legend>
        <NumberInput
          label={`${label} status`}
          value={rule.status}
          min={100}
          max={599}
          onChange={(status) => set({ status: status ?? 200 })}
        />
        <NumberInput
          label={`${label} delay (ms)`}
          value={rule.delay_ms}
          min={0}
          max={30000}
          onChange={(delay) => set({ delay_ms: delay ?? 0 })}
        />
        <NumberInput
          label={`${label} delay up to (ms)`}
          value={rule.delay_max_ms}
          min={0}
          max={30000}
          onChange={(max) => {
            const { delay_max_ms: _old, ...rest } = rule;
            onChange(max === undefined ? rest : { ...rest, delay_max_ms: max });
          }}
        />
        <label class="rule-block">
          <span>Headers (one per line, Name: value)</span>
          <textarea
            aria-label={`${label} headers`}
            class="mono"
            rows={2}
            value={rule.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}
            onInput={(e) =>
              set({
                headers: e.currentTarget.value
                  .split('\n')
                  .filter((l) => l.trim() !== '')
                  .map((l): [string, string] => {
                    const at = l.indexOf(':');
                    return at < 0
                      ? [l.trim(), '']
                      : [l.slice(0, at).trim(), l.slice(at + 1).trim()];
                  }),
              })
            }
          />
        </label>
        <label class="rule-block">
          <span>Body</span>
          <textarea
            aria-label={`${label} body`}
            class="mono"
            rows={3}
            spellcheck={false}
            value={rule.body}
            onInput={(e) => set({ body: e.currentTarget.value })}
          />
        </label>
        <label class="choice">
          <input
            type="checkbox"
            aria-label={`${label} body is a template`}
            checked={rule.template}
            onChange={(e) => set({ template: e.currentTarget.checked })}
          />
          <span>
            Template{' '}
            <span class="muted">— {'{{method}} {{path}} {{query.x}} {{json.site.id}} {{id}}'}</span>
          </span>
        </label>
      </fieldset>
      <fieldset class="rule-section">
        <legend>Failure</legend>
        <select
          aria-label={`${label} failure`}
          value={fault?.kind ?? ''}
          onChange={(e) => {
            const next = faultFor(e.currentTarget.value as FaultKind, fault);
            const { fault: _old, ...rest } = rule;
            onChange(next ? { ...rest, fault: next } : rest);
          }}
        >
          <option value="">None</option>
          <option value="fail_first">Fail the first N</option>
          <option value="fail_percent">Fail a percentage (seeded)</option>
          <option value="reset">Reset the connection</option>
          <option value="hang">Never answer</option>
          <option value="trickle">Answer slowly</option>
        </select>
        {fault?.kind === 'fail_first' && (
          <NumberInput
            label={`${label} failures`}
            value={fault.count}
            min={1}
            max={1000}
            onChange={(count) => set({ fault: { ...fault, count: count ?? 1 } })}
          />
        )}
        {fault?.kind === 'fail_percent' && (
          <NumberInput
            label={`${label} percent`}
            value={fault.percent}
            min={0}
            max={100}
            onChange={(percent) => set({ fault: { ...fault, percent: percent ?? 0 } })}
          />
        )}
        {(fault?.kind === 'fail_first' || fault?.kind === 'fail_percent') && (
          <NumberInput
            label={`${label} failure status`}
            value={fault.status}
            min={100}
            max={599}
            onChange={(status) => set({ fault: { ...fault, status: status ?? 503 } })}
          />
        )}
        {fault?.kind === 'trickle' && (
          <NumberInput
            label={`${label} bytes per second`}
            value={fault.bytes_per_second}
            min={1}
            max={65536}
            onChange={(rate) => set({ fault: { ...fault, bytes_per_second: rate ?? 1 } })}
          />
        )}
      </fieldset>
    </li>
  );
}

/** The preview: a captured request, the rule that would answer it and the body, as text. */
function RulePreview({ binId, rules }: { binId: string; rules: RuleJson[] }) {
  const [requests, setRequests] = useState<RequestSummaryJson[]>([]);
  const [picked, setPicked] = useState('');
  const [preview, setPreview] = useState<RulePreviewJson | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const abort = new AbortController();
    listRequests(binId, { limit: 20, signal: abort.signal }).then(
      (page) => {
        setRequests(page.items);
        setPicked((current) => current || (page.items[0]?.id ?? ''));
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [binId]);

  const run = async () => {
    setError(undefined);
    setPreview(undefined);
    try {
      setPreview(await previewRules(binId, { request_id: picked, rules }));
    } catch (e) {
      setError(e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : errorMessage(e));
    }
  };

  if (requests.length === 0) {
    return <p class="muted">Capture a request to preview which rule answers it.</p>;
  }
  return (
    <section class="rule-preview" aria-label="Preview">
      <div class="rule-head">
        <select
          aria-label="Captured request to preview"
          value={picked}
          onChange={(e) => setPicked(e.currentTarget.value)}
        >
          {requests.map((r) => (
            <option key={r.id} value={r.id}>
              #{r.seq} {r.method} {r.url}
            </option>
          ))}
        </select>
        <button type="button" class="button button-small" onClick={() => void run()}>
          Preview
        </button>
      </div>
      {error && (
        <p class="note note-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div class="rule-preview-result" aria-label="Preview result">
          <p>
            {preview.rule === null
              ? 'No rule matches: the bin’s response answers.'
              : `Rule ${preview.rule + 1}${preview.rule_name ? ` “${preview.rule_name}”` : ''} answers ${preview.status ?? ''}${preview.fault ? ` (failure: ${preview.fault})` : ''}.`}
          </p>
          {preview.error && <p class="note note-error">{preview.error}</p>}
          {preview.body !== null && <pre class="mono rule-preview-body">{preview.body}</pre>}
        </div>
      )}
    </section>
  );
}

/** The ordered rules list with add, reorder, delete and a preview; saved by the dialog. */
export function RulesEditor({
  binId,
  rules,
  onChange,
}: {
  binId: string;
  rules: RuleJson[];
  onChange(rules: RuleJson[]): void;
}) {
  // Stable keys: a card keeps its typed condition text when rules move around it.
  const [keys, setKeys] = useState(() => rules.map((_, i) => i));
  const [nextKey, setNextKey] = useState(rules.length);
  const move = (index: number, by: -1 | 1) => {
    const order = rules.map((_, i) => i);
    [order[index], order[index + by]] = [order[index + by]!, order[index]!];
    onChange(order.map((i) => rules[i]!));
    setKeys(order.map((i) => keys[i]!));
  };
  return (
    <fieldset class="field">
      <legend class="field-label">
        Rules <span class="muted">(in order: the first that matches answers)</span>
      </legend>
      <ol class="rule-list">
        {rules.map((rule, index) => (
          <RuleCard
            key={keys[index]}
            rule={rule}
            index={index}
            count={rules.length}
            onChange={(next) => onChange(rules.map((r, i) => (i === index ? next : r)))}
            onMove={(by) => move(index, by)}
            onRemove={() => {
              onChange(rules.filter((_, i) => i !== index));
              setKeys(keys.filter((_, i) => i !== index));
            }}
          />
        ))}
      </ol>
      <button
        type="button"
        class="button button-small"
        disabled={rules.length >= MAX_RULES}
        onClick={() => {
          onChange([...rules, newRule()]);
          setKeys([...keys, nextKey]);
          setNextKey(nextKey + 1);
        }}
      >
        <Icon name="plus" size={14} /> Add rule
      </button>
      <RulePreview binId={binId} rules={rules} />
    </fieldset>
  );
}
