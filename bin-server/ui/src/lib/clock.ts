import { useEffect, useState } from 'preact/hooks';

const TICK_MS = 10_000;
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * The current time, refreshed every 10 s by one interval shared by every user (the request list
 * can show thousands of rows); the interval runs only while something uses it.
 */
export function useNow(enabled = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!enabled) return;
    setNow(Date.now());
    listeners.add(setNow);
    timer ??= setInterval(() => {
      const t = Date.now();
      listeners.forEach((listener) => listener(t));
    }, TICK_MS);
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, [enabled]);
  return now;
}
