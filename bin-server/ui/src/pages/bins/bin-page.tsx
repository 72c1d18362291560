import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage, isAbort } from '../../api/client.js';
import {
  clearRequests,
  deleteBin,
  getBin,
  listRequests,
  type RequestFilters,
} from '../../api/endpoints.js';
import type { BinJson, LiveMessage, RequestSummaryJson } from '../../api/types.js';
import { useInfo } from '../../api/use-shared.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState, ErrorNote, Spinner } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { VirtualList } from '../../components/virtual-list.js';
import { useLive } from '../../live/use-live.js';
import { formatCount } from '../../lib/format.js';
import { HighlightTerm } from '../../components/highlight.js';
import { href, navigate, type ListFilters } from '../../router.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';
import { FiltersBar, hasFilters } from './filters-bar.js';
import { RequestDetail } from './request-detail.js';
import { RequestFeed } from './request-feed.js';
import { ROW_HEIGHT, RequestRow } from './request-row.js';
import { ResponseDialog } from './response-dialog.js';
import { LimitDialog } from './limit-dialog.js';
import { SigningDialog } from './signing-dialog.js';
import { BinHeader, type BinAction } from './bin-header.js';
import { WaitingForRequests } from './waiting-for-requests.js';
import { useArrivalAlerts } from './arrival-alerts.js';

const FIRST_PAGE = 100;
const NEXT_PAGE = 200;

type Dialogs = BinAction | 'shortcuts' | undefined;

/** Single-key shortcuts stay out of the way of typing and of the browser's own (Ctrl/⌘/Alt) keys. */
function isShortcut(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target;
  if (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  )
    return false;
  // A modal owns the keyboard while open.
  return document.querySelector('dialog[open]') === null;
}

export function BinPage({
  binId,
  requestId,
  routeFilters,
}: {
  binId: string;
  requestId: string | undefined;
  routeFilters: ListFilters;
}) {
  const { data: info } = useInfo();
  const [bin, setBin] = useState<BinJson | undefined>();
  const [binError, setBinError] = useState<{ text: string; missing: boolean } | undefined>();
  // The filters live in the address (shareable, kept on reload and back/forward); one object per
  // distinct value so selecting a request does not reload the list.
  const { q, method, event } = routeFilters;
  const filters = useMemo<RequestFilters>(() => ({ q, method, event }), [q, method, event]);
  const setFilters = (next: RequestFilters) => navigate(href.bin(binId, requestId, next));
  const searchInput = useRef<HTMLInputElement>(null);
  const feed = useMemo(() => new RequestFeed(), [binId]);
  if (bin) feed.capacity = bin.max_requests;
  else if (info) feed.capacity = info.limits.max_requests;
  const [, setVersion] = useState(0);
  const bump = () => setVersion(feed.version);
  const [listState, setListState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [listError, setListError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [active, setActive] = useState(-1);
  const [dialog, setDialog] = useState<Dialogs>();
  const generation = useRef(0);
  const autoOpened = useRef(false);
  const deleting = useRef(false);
  const pending = useRef<RequestSummaryJson[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout>>();
  const catchUpTimer = useRef<ReturnType<typeof setTimeout>>();
  /** The open request's place in the bin, known once it was in the list. */
  const openedSeq = useRef<{ id: string; seq: number } | undefined>();
  const filtered = hasFilters(filters);
  // Narrow screens show either the list or a request (bins.css, max-width: 900px).
  const listHidden = requestId !== undefined && matchMedia('(max-width: 900px)').matches;
  const alerts = useArrivalAlerts(binId, bin?.name || binId, listHidden, (id) =>
    navigate(href.bin(binId, id, filters)),
  );
  const [toTop, setToTop] = useState(0);

  // The bin itself ----------------------------------------------------------------------------
  const loadBin = useCallback(() => {
    getBin(binId).then(
      (loaded) => {
        setBin(loaded);
        setBinError(undefined);
      },
      (e: unknown) =>
        setBinError({ text: errorMessage(e), missing: e instanceof ApiError && e.status === 404 }),
    );
  }, [binId]);
  useEffect(() => {
    setBin(undefined);
    setBinError(undefined);
    autoOpened.current = false;
    loadBin();
  }, [binId]);

  // The request list --------------------------------------------------------------------------
  // `refresh` keeps the rows on screen until the new page replaces them (new verdicts for the same
  // requests); otherwise the list shows it is loading.
  const loadFirst = useCallback(
    async (refresh = false) => {
      const run = ++generation.current;
      if (!refresh) setListState('loading');
      try {
        const page = await listRequests(binId, { ...filters, limit: FIRST_PAGE });
        if (run !== generation.current) return;
        feed.reset(page.items, page.next_cursor);
        pending.current = [];
        setListState('ready');
        if (!refresh) setActive(-1);
        bump();
        // Opening a bin shows its newest request right away.
        const newest = page.items[0];
        if (!autoOpened.current && !requestId && newest && !filtered) {
          navigate(href.bin(binId, newest.id, filters), { replace: true });
        }
        autoOpened.current = true;
      } catch (e) {
        if (run !== generation.current || isAbort(e)) return;
        if (refresh && feed.length > 0) {
          notify.error(e); // the rows stay; their verdicts are the old secret's
          return;
        }
        setListError(errorMessage(e));
        setListState('error');
      }
    },
    [binId, filters, feed],
  );
  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  const loadMore = useCallback(async () => {
    if (loadingMore || !feed.cursor || listState !== 'ready') return;
    const run = generation.current;
    setLoadingMore(true);
    try {
      const page = await listRequests(binId, { ...filters, cursor: feed.cursor, limit: NEXT_PAGE });
      if (run !== generation.current) return;
      feed.appendOlder(page.items, page.next_cursor);
      bump();
    } catch (e) {
      notify.error(e);
    } finally {
      setLoadingMore(false);
    }
  }, [binId, filters, feed, loadingMore, listState]);

  /** Fetches what is newer than the top of the list (after a reconnect, or with filters on). */
  const catchUp = useCallback(async () => {
    const run = generation.current;
    try {
      const page = await listRequests(binId, { ...filters, limit: FIRST_PAGE });
      if (run !== generation.current) return;
      const newest = feed.newestSeq();
      const fresh = page.items.filter((r) => r.seq > newest);
      // A gap larger than a page: start over rather than show a hole.
      if (fresh.length === page.items.length && page.next_cursor && feed.length > 0) {
        feed.reset(page.items, page.next_cursor);
      } else {
        feed.addNewer(fresh);
      }
      alerts.arrived([...fresh].reverse());
      bump();
    } catch {
      // The next message or reconnect tries again.
    }
  }, [binId, filters, feed]);

  // Row verdicts are checks with the bin's secret: a new secret means new verdicts.
  const secretShown = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!bin) return;
    const changed = secretShown.current !== undefined && secretShown.current !== bin.signing_secret;
    secretShown.current = bin.signing_secret;
    if (changed) void loadFirst(true);
  }, [bin?.signing_secret]);

  // Live ----------------------------------------------------------------------------------------
  const flush = () => {
    flushTimer.current = undefined;
    const arrived = pending.current;
    pending.current = [];
    const fresh = arrived.filter((r) => feed.indexOf(r.id) < 0).sort((a, b) => a.seq - b.seq);
    const added = feed.addNewer(arrived);
    if (added > 0) {
      alerts.arrived(fresh);
      setBin((b) => (b ? { ...b, request_count: b.request_count + added } : b));
      bump();
    }
  };

  const onMessage = (message: LiveMessage) => {
    if (!('bin' in message) || message.bin !== binId) return;
    switch (message.type) {
      case 'request':
        if (filtered) {
          // Only the server can apply text search to bodies: ask it for the new matches.
          clearTimeout(catchUpTimer.current);
          catchUpTimer.current = setTimeout(() => void catchUp(), 250);
          setBin((b) => (b ? { ...b, request_count: b.request_count + 1 } : b));
        } else {
          // Batched: a burst of arrivals is one render, not one per request.
          pending.current.push(message.request);
          flushTimer.current ??= setTimeout(flush, 80);
        }
        break;
      case 'request.deleted':
        feed.remove(message.id);
        bump();
        if (message.id === requestId)
          navigate(href.bin(binId, undefined, filters), { replace: true });
        break;
      case 'requests.cleared':
        feed.clear();
        bump();
        if (requestId) navigate(href.bin(binId, undefined, filters), { replace: true });
        break;
      case 'bin.updated':
        // A lowered limit evicts at once: what is below the new cut is gone on the server too.
        if (feed.dropThrough(message.value.request_count - message.value.max_requests) > 0) bump();
        setBin(message.value);
        break;
      case 'bin.deleted':
        // Deleted elsewhere (another tab, the API); our own delete already navigates away.
        if (!deleting.current) {
          notify.info(`Bin ${binId} was deleted.`);
          navigate(href.bins());
        }
        break;
    }
  };
  const onResync = () => {
    loadBin();
    void catchUp();
  };
  const liveState = useLive<LiveMessage>(`bin=${encodeURIComponent(binId)}`, onMessage, onResync);
  useEffect(
    () => () => {
      clearTimeout(flushTimer.current);
      clearTimeout(catchUpTimer.current);
    },
    [],
  );

  // Keep the keyboard cursor on the opened request.
  useEffect(() => {
    if (requestId) {
      const index = feed.indexOf(requestId);
      if (index >= 0) setActive(index);
    }
  }, [requestId, feed.version]);

  // Keyboard shortcuts: / search, j/k next/previous request, ? the list of them.
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (!isShortcut(event)) return;
    if (event.key === '/') {
      event.preventDefault();
      searchInput.current?.focus();
      searchInput.current?.select();
    } else if (event.key === '?') {
      event.preventDefault();
      setDialog('shortcuts');
    } else if (event.key === 'j' || event.key === 'k') {
      if (feed.length === 0) return;
      event.preventDefault();
      const current = requestId ? feed.indexOf(requestId) : -1;
      const from = current >= 0 ? current : active;
      const next = event.key === 'j' ? Math.min(from + 1, feed.length - 1) : Math.max(from - 1, 0);
      const item = feed.at(next);
      if (item && item.id !== requestId) {
        setActive(next);
        navigate(href.bin(binId, item.id, filters));
      }
    }
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => keys.current(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (binError) {
    return binError.missing ? (
      <div class="page">
        <EmptyState icon="inbox" title={`No bin "${binId}"`}>
          <p>It was deleted, or expired after not being used.</p>
          <a class="button" href={href.bins()}>
            All bins
          </a>
        </EmptyState>
      </div>
    ) : (
      <div class="page">
        <ErrorNote error={binError.text} onRetry={loadBin} />
      </div>
    );
  }
  if (!bin) return <Spinner label="Loading the bin…" />;

  const stored = Math.min(bin.request_count - bin.evicted_count, bin.max_requests);
  // Requests at or below this seq were evicted by the bin's limit.
  const evictedThrough = bin.request_count - bin.max_requests;
  if (requestId) {
    const index = feed.indexOf(requestId);
    const opened = index >= 0 ? feed.at(index) : undefined;
    if (opened) openedSeq.current = { id: opened.id, seq: opened.seq };
  }
  const openedEvicted =
    requestId !== undefined &&
    openedSeq.current?.id === requestId &&
    openedSeq.current.seq <= evictedThrough;
  const openIndex = (index: number) => {
    const item = feed.at(index);
    if (item) navigate(href.bin(binId, item.id, filters));
  };
  const listFooter =
    feed.length > 0 ? (
      <div class="list-status" data-loaded={feed.length}>
        {loadingMore
          ? 'Loading more…'
          : filtered
            ? `${formatCount(feed.length)} matching${feed.cursor ? ' so far' : ''}`
            : `${formatCount(feed.length)} of ${formatCount(Math.max(stored, feed.length))} loaded`}
      </div>
    ) : null;

  return (
    <div class={`bin-page ${requestId ? 'has-detail' : ''}`}>
      <BinHeader
        bin={bin}
        stored={stored}
        liveState={liveState}
        filters={filters}
        onAction={setDialog}
      />

      <div class="bin-body">
        <section class="request-pane" aria-label="Captured requests">
          <FiltersBar filters={filters} onChange={setFilters} inputRef={searchInput} />
          {listState === 'loading' && <Spinner label="Loading requests…" />}
          {listState === 'error' && (
            <ErrorNote error={listError} onRetry={() => void loadFirst()} />
          )}
          {listState === 'ready' && feed.length === 0 && !filtered && (
            <p class="list-empty muted">
              <span class="live-dot" aria-hidden="true" /> No requests yet: they appear here as they
              arrive.
            </p>
          )}
          {listState === 'ready' && feed.length === 0 && filtered && (
            <EmptyState icon="search" title="No matching requests">
              Nothing captured in this bin matches these filters.
            </EmptyState>
          )}
          {listState === 'ready' && feed.length > 0 && (
            <div class="request-list">
              {alerts.unseen > 0 && !alerts.atTop && (
                <button
                  type="button"
                  class="new-pill"
                  data-testid="new-pill"
                  onClick={() => setToTop((n) => n + 1)}
                >
                  {formatCount(alerts.unseen)} new
                </button>
              )}
              <VirtualList
                count={feed.length}
                rowHeight={ROW_HEIGHT}
                label={`Requests captured by ${bin.name || bin.id}, newest first`}
                rowKey={(i) => feed.at(i)!.id}
                renderRow={(i, { active: isActive }) => {
                  const item = feed.at(i)!;
                  return (
                    <RequestRow
                      request={item}
                      link={href.bin(binId, item.id, filters)}
                      selected={item.id === requestId}
                      active={isActive}
                    />
                  );
                }}
                activeIndex={active}
                onActiveChange={setActive}
                onOpen={openIndex}
                onEndReached={() => void loadMore()}
                topInsertions={feed.topInsertions}
                footer={listFooter}
                onAtTopChange={alerts.setAtTop}
                scrollToTopKey={toTop}
              />
            </div>
          )}
        </section>

        <section class="detail-pane" aria-label="Request">
          {requestId && (
            <a
              class="button button-small button-quiet back-to-list"
              href={href.bin(binId, undefined, filters)}
            >
              <Icon name="back" size={14} /> All requests
            </a>
          )}
          {requestId && openedEvicted ? (
            <EmptyState icon="inbox" title="This request was dropped">
              <p data-testid="request-evicted">
                The bin keeps its newest {formatCount(bin.max_requests)} requests, and #
                {openedSeq.current!.seq} was pushed out by newer ones: its body and raw download are
                gone.
              </p>
              <button type="button" class="button" onClick={() => setDialog('limit')}>
                Keep more requests
              </button>
            </EmptyState>
          ) : requestId ? (
            <HighlightTerm.Provider value={filters.q ?? ''}>
              <RequestDetail
                key={requestId}
                binId={binId}
                requestId={requestId}
                signingSecret={bin.signing_secret}
                onBinSaved={setBin}
                onDeleted={(id) => {
                  const index = feed.indexOf(id);
                  feed.remove(id);
                  bump();
                  const next = feed.at(Math.min(index, feed.length - 1));
                  navigate(href.bin(binId, next?.id, filters), { replace: true });
                }}
              />
            </HighlightTerm.Provider>
          ) : feed.length > 0 ? (
            <EmptyState icon="inbox" title="Select a request">
              <p class="keyboard-hint">
                Click a request, or focus the list and use <kbd>↑</kbd> <kbd>↓</kbd> and{' '}
                <kbd>Enter</kbd>.
              </p>
            </EmptyState>
          ) : listState === 'ready' && !filtered ? (
            <WaitingForRequests bin={bin} />
          ) : null}
        </section>
      </div>

      {dialog === 'shortcuts' && <ShortcutsDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'response' && (
        <ResponseDialog bin={bin} onClose={() => setDialog(undefined)} onSaved={setBin} />
      )}
      {dialog === 'limit' && (
        <LimitDialog
          bin={bin}
          serverMax={info?.limits.max_requests ?? bin.max_requests}
          onClose={() => setDialog(undefined)}
          onSaved={(saved) => {
            if (feed.dropThrough(saved.request_count - saved.max_requests) > 0) bump();
            setBin(saved);
          }}
        />
      )}
      {dialog === 'signing' && (
        <SigningDialog bin={bin} onClose={() => setDialog(undefined)} onSaved={setBin} />
      )}
      {dialog === 'clear' && (
        <ConfirmDialog
          title="Clear all requests?"
          confirmLabel="Clear all"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await clearRequests(bin.id);
            feed.clear();
            bump();
            navigate(href.bin(bin.id, undefined, filters), { replace: true });
          }}
        >
          Every request captured by <strong>{bin.name || bin.id}</strong> is deleted. The bin and
          its URL stay.
        </ConfirmDialog>
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete this bin?"
          confirmLabel="Delete bin"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            deleting.current = true;
            await deleteBin(bin.id).catch((e: unknown) => {
              deleting.current = false;
              throw e;
            });
            notify.ok('Bin deleted.');
            navigate(href.bins());
          }}
        >
          The bin <strong>{bin.name || bin.id}</strong> and its requests are deleted; its URL
          answers 404 from now on.
        </ConfirmDialog>
      )}
    </div>
  );
}
