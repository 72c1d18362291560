import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from './icons.js';
import { useAvailability } from './outage-banner.js';

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
  // No endless spinner during an outage: the page says what it waits for (the banner says why).
  const { outage } = useAvailability();
  if (outage) {
    return (
      <div class="loading" role="status">
        <Icon name="alert" />
        {outage === 'store' ? 'Waiting for the data store…' : 'Waiting for the server…'}
      </div>
    );
  }
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
