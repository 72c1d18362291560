import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldIds {
  /** For the control's `id`. */
  id: string;
  /** For the control's `aria-describedby` (help and error texts). */
  describedBy: string | undefined;
}

export interface FieldProps {
  label: ComponentChildren;
  help?: ComponentChildren;
  error?: string | null | undefined;
  /** Extra content on the label's line (e.g. a reset link). */
  aside?: ComponentChildren;
  class?: string;
  children(ids: FieldIds): ComponentChildren;
}

/**
 * A labelled form control: the label names the control (and only it), the help and error texts
 * describe it, so screen readers read "Webhook Url, edit text, The url of your webhook."
 */
export function Field({ label, help, error, aside, children, ...rest }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${rest.class ?? ''}`}>
      <div class="field-label">
        <label for={id}>{label}</label>
        {aside}
      </div>
      {children({ id, describedBy })}
      {help && (
        <span class="field-help" id={helpId}>
          {help}
        </span>
      )}
      {error && (
        <span class="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
