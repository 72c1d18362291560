import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage, isAbort } from '../../api/client.js';
import { getRequest, listBins, listRequests } from '../../api/endpoints.js';
import type { BinJson, RequestJson, RequestSummaryJson } from '../../api/types.js';
import { EventBadge, MethodBadge } from '../../components/badges.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { formatBytes, formatDateTime, pluralize } from '../../lib/format.js';
import {
  diffHeaders,
  diffJson,
  parseForDiff,
  type FieldChange,
  type HeaderChange,
} from '../../lib/compare.js';
import { href, type RequestRef } from '../../router.js';

type Loaded<T> = { data?: T; error?: string; gone?: boolean };

function useRequest(ref: RequestRef | undefined): Loaded<RequestJson> {
  const [state, setState] = useState<Loaded<RequestJson>>({});
  const { binId, requestId } = ref ?? {};
  useEffect(() => {
    setState({});
    if (!binId || !requestId) return;
    const controller = new AbortController();
    getRequest(binId, requestId, controller.signal).then(
      (data) => setState({ data }),
      (e: unknown) => {
        if (isAbort(e)) return;
        setState({ error: errorMessage(e), gone: e instanceof ApiError && e.status === 404 });
      },
    );
    return () => controller.abort();
  }, [binId, requestId]);
  return state;
}

const sideName = { left: 'A', right: 'B' } as const;

/** One side's request: what it is, where it was captured, and a link to it in its bin. */
function RequestSummary({
  side,
  request,
  refOf,
}: {
  side: 'left' | 'right';
  request: Loaded<RequestJson>;
  refOf: RequestRef;
}) {
  const label = sideName[side];
  return (
    <section class={`card compare-side compare-side-${side}`} aria-label={`Request ${label}`}>
      <p class="compare-side-label">{label}</p>
      {request.gone && (
        <p class="note note-error">
          Request {refOf.requestId} of bin {refOf.binId} is gone (deleted, or dropped when its bin
          reached its limit).
        </p>
      )}
      {request.error && !request.gone && <ErrorNote error={request.error} />}
      {!request.data && !request.error && <Spinner label="Loading the request…" />}
      {request.data && (
        <>
          <div class="compare-side-title">
            <MethodBadge method={request.data.method} />
            <a class="mono compare-side-url" href={href.bin(refOf.binId, refOf.requestId)}>
              {request.data.url}
            </a>
          </div>
          <p class="muted small">
            Bin <span class="mono">{refOf.binId}</span> · #{request.data.seq} ·{' '}
            {formatDateTime(request.data.received_at)} · {formatBytes(request.data.size)}
          </p>
          <EventBadge recognition={request.data.recognition} />
        </>
      )}
    </section>
  );
}

const kindText = { added: 'added', removed: 'removed', changed: 'changed', same: 'same' } as const;

function Values({ values }: { values: string[] }) {
  if (values.length === 0) return <span class="muted">—</span>;
  return (
    <>
      {values.map((value, i) => (
        <div key={i} class="compare-value">
          {value === '' ? <span class="muted">(empty)</span> : value}
        </div>
      ))}
    </>
  );
}

function HeadersDiff({ changes }: { changes: HeaderChange[] }) {
  const [showSame, setShowSame] = useState(false);
  const different = changes.filter((c) => c.kind !== 'same');
  const same = changes.length - different.length;
  const shown = showSame ? changes : different;
  return (
    <section class="card compare-section" aria-labelledby="compare-headers-title">
      <div class="card-head card-head-row">
        <h2 id="compare-headers-title">Headers</h2>
        <span class="muted small">
          {different.length === 0
            ? 'The same headers'
            : `${pluralize(different.length, 'difference')} · ${same} the same`}
        </span>
      </div>
      {shown.length > 0 && (
        <div class="compare-scroll">
          <table class="data-table compare-table compare-headers">
            <caption class="visually-hidden">Header differences, A against B</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Change</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((change) => (
                <tr key={change.name} class={`change-${change.kind}`} data-kind={change.kind}>
                  <th scope="row" class="mono compare-name">
                    {change.name}
                  </th>
                  <td>
                    <span class={`change-tag change-tag-${change.kind}`}>
                      {kindText[change.kind]}
                    </span>
                  </td>
                  <td class="mono compare-old">
                    <Values values={change.left} />
                  </td>
                  <td class="mono compare-new">
                    <Values values={change.right} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {same > 0 && (
        <button
          type="button"
          class="button button-small button-quiet"
          aria-pressed={showSame}
          onClick={() => setShowSame(!showSame)}
        >
          {showSame ? 'Hide headers that are the same' : `Show ${same} headers that are the same`}
        </button>
      )}
    </section>
  );
}

/** Long values are cut for the table; the whole value is one click away in each request. */
const MAX_VALUE = 2000;
const cut = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text);

function FieldRow({ change }: { change: FieldChange }) {
  return (
    <tr class={`change-${change.kind}`} data-kind={change.kind}>
      <th scope="row" class="mono compare-name">
        {change.path}
      </th>
      <td>
        <span class={`change-tag change-tag-${change.kind}`}>{kindText[change.kind]}</span>
      </td>
      <td class="mono compare-values">
        {change.kind === 'changed' ? (
          <>
            <span class="compare-old">{cut(change.left!)}</span>
            <span class="compare-arrow" aria-label="becomes">
              {' → '}
            </span>
            <span class="compare-new">{cut(change.right!)}</span>
          </>
        ) : change.kind === 'added' ? (
          <span class="compare-new">{cut(change.right!)}</span>
        ) : (
          <span class="compare-old">{cut(change.left!)}</span>
        )}
      </td>
    </tr>
  );
}

type BodyComparison =
  | { kind: 'json'; changes: FieldChange[] }
  | { kind: 'too-deep' }
  | { kind: 'text'; same: boolean; leftJson: boolean; rightJson: boolean };

function compareBodies(left: RequestJson, right: RequestJson): BodyComparison {
  const a = parseForDiff(left.body_text);
  const b = parseForDiff(right.body_text);
  if (a && b) {
    try {
      return { kind: 'json', changes: diffJson(a.value, b.value) };
    } catch (e) {
      if (e instanceof RangeError) return { kind: 'too-deep' };
      throw e;
    }
  }
  return {
    kind: 'text',
    same: left.body_base64 === right.body_base64,
    leftJson: Boolean(a),
    rightJson: Boolean(b),
  };
}

function BodyText({ request, label }: { request: RequestJson; label: string }) {
  return (
    <div class="compare-body-text">
      <h3 class="small">{label}</h3>
      {request.body_text === null ? (
        <p class="muted small">Binary or not UTF-8 ({formatBytes(request.size)}).</p>
      ) : (
        <pre class="code-block mono" aria-label={`Body ${label}`}>
          {request.body_text === '' ? '(empty)' : request.body_text}
        </pre>
      )}
    </div>
  );
}

function BodyDiff({ left, right }: { left: RequestJson; right: RequestJson }) {
  const result = useMemo(() => compareBodies(left, right), [left, right]);
  return (
    <section class="card compare-section" aria-labelledby="compare-body-title">
      <div class="card-head card-head-row">
        <h2 id="compare-body-title">Body</h2>
        <span class="muted small">
          {result.kind === 'json'
            ? result.changes.length === 0
              ? 'The same JSON'
              : `${pluralize(result.changes.length, 'field')} differ, by path`
            : result.kind === 'text'
              ? result.same
                ? 'The same bytes'
                : 'Different bytes'
              : ''}
        </span>
      </div>
      {result.kind === 'too-deep' && (
        <p class="note">These bodies nest too deeply to compare field by field.</p>
      )}
      {result.kind === 'json' && result.changes.length > 0 && (
        <div class="compare-scroll">
          <table class="data-table compare-table compare-fields">
            <caption class="visually-hidden">JSON body differences by field, A against B</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Change</th>
                <th scope="col">A → B</th>
              </tr>
            </thead>
            <tbody>
              {result.changes.map((change) => (
                <FieldRow key={change.path} change={change} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.kind === 'text' && (
        <>
          <p class="muted small">
            {result.leftJson || result.rightJson
              ? `Only ${result.leftJson ? 'A' : 'B'} is JSON, so the bodies are shown side by side.`
              : 'Neither body is JSON, so they are shown side by side.'}
          </p>
          {!result.same && (
            <div class="compare-texts">
              <BodyText request={left} label="A" />
              <BodyText request={right} label="B" />
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Pick B: any bin's recent requests (the same bin first), newest first. */
function Picker({ left }: { left: RequestRef }) {
  const [bins, setBins] = useState<BinJson[] | undefined>();
  const [binId, setBinId] = useState(left.binId);
  const [requests, setRequests] = useState<Loaded<RequestSummaryJson[]>>({});
  useEffect(() => {
    listBins().then(
      (page) => setBins(page.items),
      () => setBins([]),
    );
  }, []);
  useEffect(() => {
    setRequests({});
    const controller = new AbortController();
    listRequests(binId, { limit: 50, signal: controller.signal }).then(
      (page) => setRequests({ data: page.items }),
      (e: unknown) => {
        if (!isAbort(e)) setRequests({ error: errorMessage(e) });
      },
    );
    return () => controller.abort();
  }, [binId]);
  const others = requests.data?.filter((r) => r.id !== left.requestId);
  return (
    <section class="card compare-picker" aria-labelledby="compare-pick-title">
      <div class="card-head">
        <h2 id="compare-pick-title">Pick request B</h2>
        <p class="muted small">The 50 newest requests of the bin chosen here.</p>
      </div>
      <label class="compact-field">
        <span class="visually-hidden">Bin</span>
        <select name="bin" value={binId} onChange={(e) => setBinId(e.currentTarget.value)}>
          {!bins?.some((b) => b.id === binId) && <option value={binId}>{binId}</option>}
          {bins?.map((bin) => (
            <option key={bin.id} value={bin.id}>
              {bin.name ? `${bin.name} (${bin.id})` : bin.id}
            </option>
          ))}
        </select>
      </label>
      {requests.error && <ErrorNote error={requests.error} />}
      {!requests.data && !requests.error && <Spinner label="Loading the requests…" />}
      {others && others.length === 0 && (
        <p class="muted small">No other request in this bin yet.</p>
      )}
      {others && others.length > 0 && (
        <ul class="compare-candidates">
          {others.map((request) => (
            <li key={request.id}>
              <a
                class="compare-candidate"
                href={href.compare(left, { binId, requestId: request.id })}
                data-request-id={request.id}
              >
                <MethodBadge method={request.method} />
                <span class="mono truncate compare-candidate-url">{request.url}</span>
                <EventBadge recognition={request.recognition} compact />
                <span class="muted small nowrap">#{request.seq}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Two captured requests, of one bin or two: their headers and JSON bodies compared by name and by
 * field path. A is the "before" side: added means only B has it.
 */
export function ComparePage({ left, right }: { left?: RequestRef; right?: RequestRef }) {
  const a = useRequest(left);
  const b = useRequest(right);
  const headers = useMemo(
    () => (a.data && b.data ? diffHeaders(a.data.headers, b.data.headers) : undefined),
    [a.data, b.data],
  );
  if (!left) {
    return (
      <div class="page">
        <EmptyState icon="search" title="Nothing to compare yet">
          Open a request in a bin and choose <strong>Compare</strong>, then pick the other one.
          <a href={href.bins()}>Go to the bins</a>
        </EmptyState>
      </div>
    );
  }
  return (
    <div class="page compare-page">
      <header class="page-header">
        <div>
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href={href.bin(left.binId)}>Bin {left.binId}</a>
            <span aria-hidden="true">/</span>
          </nav>
          <h1>Compare requests</h1>
        </div>
        {right && (
          <div class="page-actions">
            <a class="button button-small" href={href.compare(right, left)}>
              Swap A and B
            </a>
            <a class="button button-small" href={href.compare(left)}>
              Pick another B
            </a>
          </div>
        )}
      </header>
      <div class="compare-sides">
        <RequestSummary side="left" request={a} refOf={left} />
        {right && <RequestSummary side="right" request={b} refOf={right} />}
      </div>
      {!right && <Picker left={left} />}
      {headers && <HeadersDiff changes={headers} />}
      {a.data && b.data && <BodyDiff left={a.data} right={b.data} />}
    </div>
  );
}
