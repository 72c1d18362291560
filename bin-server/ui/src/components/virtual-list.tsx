import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Renders row `index`; called only for the rows in view (plus a few above and below). */
  renderRow(index: number, state: { active: boolean }): ComponentChildren;
  rowKey(index: number): string;
  label: string;
  /** Keyboard cursor (up/down), and Enter opens it. */
  activeIndex: number;
  onActiveChange(index: number): void;
  onOpen(index: number): void;
  /** Near the end of what is loaded: load the next page. */
  onEndReached?(): void;
  /** Grows by n when n rows were inserted at the top, so the view does not jump. */
  topInsertions: number;
  footer?: ComponentChildren;
  /** Told when the list comes to its top or leaves it (new rows then land out of view). */
  onAtTopChange?(atTop: boolean): void;
  /** Changing it scrolls the list to its top. */
  scrollToTopKey?: number;
}

const OVERSCAN = 8;

/**
 * A list that renders only the rows in view, so 10,000 rows cost as much as 30. Rows have a fixed
 * height and are positioned in a spacer as tall as the whole list; the browser's own scrollbar works.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, activeIndex } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const frame = useRef(0);
  const insertions = useRef(props.topInsertions);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Rows inserted above: keep the rows the reader is looking at where they are.
  useLayoutEffect(() => {
    const added = props.topInsertions - insertions.current;
    insertions.current = props.topInsertions;
    const el = viewport.current;
    if (el && added > 0 && el.scrollTop > rowHeight / 2) {
      el.scrollTop += added * rowHeight;
      setScrollTop(el.scrollTop);
    }
  }, [props.topInsertions, rowHeight]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // Within half a row of the top counts as the top: new rows are then in view (see above).
  const atTop = scrollTop <= rowHeight / 2;
  useEffect(() => props.onAtTopChange?.(atTop), [atTop]);
  useEffect(() => () => props.onAtTopChange?.(true), []);

  const toTopKey = useRef(props.scrollToTopKey);
  useEffect(() => {
    if (props.scrollToTopKey === toTopKey.current) return;
    toTopKey.current = props.scrollToTopKey;
    const el = viewport.current;
    if (!el) return;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [props.scrollToTopKey]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);

  useEffect(() => {
    if (props.onEndReached && count > 0 && last >= count - OVERSCAN) props.onEndReached();
  }, [last, count]);

  const onScroll = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(viewport.current?.scrollTop ?? 0));
  };

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(count - 1, index));
    props.onActiveChange(next);
    const el = viewport.current;
    if (!el) return;
    const top = next * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (count === 0) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const current = activeIndex < 0 ? -1 : activeIndex;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      PageDown: () => moveTo(current + page),
      PageUp: () => moveTo(current - page),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      Enter: () => {
        if (current >= 0) props.onOpen(current);
      },
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const rows: ComponentChildren[] = [];
  for (let index = first; index < last; index += 1) {
    rows.push(
      <div
        key={props.rowKey(index)}
        class="virtual-row"
        style={{ transform: `translateY(${index * rowHeight}px)`, height: `${rowHeight}px` }}
      >
        {props.renderRow(index, { active: index === activeIndex })}
      </div>,
    );
  }

  const activeKey = activeIndex >= 0 && activeIndex < count ? props.rowKey(activeIndex) : undefined;
  return (
    <div
      class="virtual-list"
      ref={viewport}
      onScroll={onScroll}
      role="listbox"
      tabIndex={0}
      aria-label={props.label}
      aria-activedescendant={activeKey ? `option-${activeKey}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div class="virtual-spacer" style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </div>
      {props.footer}
    </div>
  );
}
