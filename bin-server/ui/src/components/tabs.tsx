import { useRef } from 'preact/hooks';

export interface TabsProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string; badge?: string | number }>;
  onChange(value: T): void;
  /**
   * When the tabs switch panels (not just a view), the ids that tie each tab to its panel: tab
   * `<idPrefix>-tab-<value>` controls the element with id `<idPrefix>-panel-<value>`.
   */
  idPrefix?: string;
}

/** The id of the panel a tab of `Tabs` with this idPrefix controls (give it to role=tabpanel). */
export const tabPanelId = (idPrefix: string, value: string) => `${idPrefix}-panel-${value}`;
/** The id of a tab of `Tabs` with this idPrefix (the panel's aria-labelledby). */
export const tabId = (idPrefix: string, value: string) => `${idPrefix}-tab-${value}`;

/** A segmented control with tab semantics: arrow keys move between options. */
export function Tabs<T extends string>({
  label,
  value,
  options,
  onChange,
  idPrefix,
}: TabsProps<T>) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = options.findIndex((o) => o.value === value);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % options.length,
      ArrowLeft: (index - 1 + options.length) % options.length,
      Home: 0,
      End: options.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const option = options[next];
    if (!option) return;
    onChange(option.value);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div class="segmented" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="tab"
          id={idPrefix && tabId(idPrefix, option.value)}
          aria-controls={idPrefix && tabPanelId(idPrefix, option.value)}
          aria-selected={option.value === value}
          tabIndex={option.value === value ? 0 : -1}
          class="segment"
          onClick={() => onChange(option.value)}
        >
          {option.label}
          {option.badge !== undefined && <span class="segment-badge">{option.badge}</span>}
        </button>
      ))}
    </div>
  );
}
