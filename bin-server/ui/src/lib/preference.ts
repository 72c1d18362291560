import { useEffect, useState } from 'preact/hooks';

/**
 * A choice remembered per browser in localStorage. Every component using it re-renders when it
 * changes, in this tab or another; a stored value that is not one of `values` reads as the default.
 */
export interface Preference<T extends string> {
  get(): T;
  set(value: T): void;
  subscribe(listener: (value: T) => void): () => void;
}

export function preference<T extends string>(
  key: string,
  values: readonly T[],
  fallback: T,
): Preference<T> {
  const listeners = new Set<(value: T) => void>();
  const read = (): T => {
    let stored: string | null = null;
    // Storage can be disabled (privacy settings); the default then applies for this visit.
    try {
      stored = localStorage.getItem(key);
    } catch {
      stored = null;
    }
    return values.find((v) => v === stored) ?? fallback;
  };
  let current = read();
  const notify = () => listeners.forEach((listener) => listener(current));
  addEventListener('storage', (event) => {
    if (event.key !== key) return;
    current = read();
    notify();
  });
  return {
    get: () => current,
    set(value) {
      current = value;
      try {
        localStorage.setItem(key, value);
      } catch {
        // Not remembered, but still applied for this visit.
      }
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function usePreference<T extends string>(pref: Preference<T>): [T, (value: T) => void] {
  const [value, setValue] = useState(pref.get());
  useEffect(() => pref.subscribe(setValue), [pref]);
  return [value, pref.set];
}
