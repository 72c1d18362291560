import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Icon } from './icons.js';

export interface DialogProps {
  title: ComponentChildren;
  onClose(): void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  size?: 'small' | 'medium' | 'large';
  /** Extra class on the <dialog>, e.g. for a tone. */
  class?: string;
  /** Accessible description element id inside the body, if any. */
  describedBy?: string;
}

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes, the page behind is inert.
 * Focus goes to the first field (or `autofocus`) on open and back to the opener on close.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  size = 'medium',
  describedBy,
  ...rest
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const focusTarget =
      dialog.querySelector<HTMLElement>('[autofocus]') ??
      dialog.querySelector<HTMLElement>(
        '.dialog-body input, .dialog-body select, .dialog-body textarea',
      ) ??
      dialog.querySelector<HTMLElement>('.dialog-footer button');
    focusTarget?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={`dialog dialog-${size} ${rest.class ?? ''}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        close.current();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes.
        const dialog = ref.current;
        if (dialog && event.target === dialog) {
          const box = dialog.getBoundingClientRect();
          const inside =
            event.clientX >= box.left &&
            event.clientX <= box.right &&
            event.clientY >= box.top &&
            event.clientY <= box.bottom;
          if (!inside) close.current();
        }
      }}
    >
      <header class="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          class="icon-button"
          aria-label="Close"
          onClick={() => close.current()}
        >
          <Icon name="x" />
        </button>
      </header>
      <div class="dialog-body">{children}</div>
      {footer && <footer class="dialog-footer">{footer}</footer>}
    </dialog>
  );
}
