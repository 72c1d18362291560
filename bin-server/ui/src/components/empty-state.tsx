import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from './icons.js';

export function EmptyState({
  icon,
  title,
  children,
}: {
  icon: IconName;
  title: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="empty-state">
      <div class="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <h3>{title}</h3>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorNote({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div class="note note-error" role="alert">
      <Icon name="alert" />
      <span>{error}</span>
      {onRetry && (
        <button type="button" class="button button-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
