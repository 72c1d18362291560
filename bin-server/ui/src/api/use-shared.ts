import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from './client.js';
import { getInfo, listEvents } from './endpoints.js';
import type { EventJson, InfoJson } from './types.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload(): void;
}

/** Data that does not change while the page is open, fetched once and shared by every view. */
function shared<T>(load: () => Promise<T>): () => Loaded<T> {
  let promise: Promise<T> | undefined;
  let value: T | undefined;
  return function useShared(): Loaded<T> {
    const [state, setState] = useState<{ data: T | undefined; error: string | undefined }>({
      data: value,
      error: undefined,
    });
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (value !== undefined) return;
      let live = true;
      promise ??= load();
      promise.then(
        (data) => {
          value = data;
          if (live) setState({ data, error: undefined });
        },
        (error: unknown) => {
          promise = undefined;
          if (live) setState({ data: undefined, error: errorMessage(error) });
        },
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    return { ...state, reload: () => setAttempt((n) => n + 1) };
  };
}

export const useInfo = shared<InfoJson>(getInfo);
export const useEvents = shared<EventJson[]>(async () => (await listEvents()).items);
