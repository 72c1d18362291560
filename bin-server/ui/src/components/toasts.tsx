import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client.js';
import { Icon } from './icons.js';

interface Toast {
  id: number;
  tone: 'info' | 'ok' | 'error';
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<(list: Toast[]) => void>();

function publish(): void {
  for (const listener of listeners) listener(toasts);
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  publish();
}

function push(tone: Toast['tone'], text: string): void {
  const toast = { id: nextId++, tone, text };
  toasts = [...toasts.slice(-3), toast];
  publish();
  setTimeout(() => dismiss(toast.id), tone === 'error' ? 8000 : 3500);
}

/** Short notices at the bottom of the screen, announced to screen readers. */
export const notify = {
  info: (text: string) => push('info', text),
  ok: (text: string) => push('ok', text),
  error: (error: unknown) => push('error', errorMessage(error)),
};

export function Toasts() {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => listeners.delete(setList);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.tone}`}>
          <span>{toast.text}</span>
          <button
            type="button"
            class="icon-button"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
