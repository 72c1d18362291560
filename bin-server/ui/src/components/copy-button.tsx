import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard.js';
import { Icon } from './icons.js';
import { notify } from './toasts.js';

export interface CopyButtonProps {
  /** The text, or a function that fetches it (e.g. the curl command). */
  text: string | (() => Promise<string>);
  label?: string;
  /** Icon-only button with this accessible name. */
  iconOnly?: boolean;
  class?: string;
  title?: string;
}

export function CopyButton({
  text,
  label = 'Copy',
  iconOnly = false,
  title,
  ...rest
}: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await copyText(typeof text === 'string' ? text : await text());
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 1500);
    } catch (error) {
      notify.error(error);
    }
  };
  const name = copied ? 'Copied' : label;
  return (
    <button
      type="button"
      class={`${iconOnly ? 'icon-button' : 'button'} ${copied ? 'is-copied' : ''} ${rest.class ?? ''}`}
      onClick={() => void copy()}
      aria-label={iconOnly ? name : undefined}
      title={title ?? (iconOnly ? label : undefined)}
    >
      <Icon name={copied ? 'check' : 'copy'} size={iconOnly ? 15 : 14} />
      {!iconOnly && <span>{name}</span>}
      {iconOnly && (
        <span class="visually-hidden" aria-live="polite">
          {copied ? 'Copied' : ''}
        </span>
      )}
    </button>
  );
}
