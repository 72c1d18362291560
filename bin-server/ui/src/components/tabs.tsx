import { useRef } from 'preact/hooks';

export interface TabsProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string; badge?: string | number }>;
  onChange(value: T): void;
}

/** A segmented control with tab semantics: arrow keys move between options. */
export function Tabs<T extends string>({ label, value, options, onChange }: TabsProps<T>) {
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
