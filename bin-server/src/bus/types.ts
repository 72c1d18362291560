import type { DomainEvent, Topic } from './events.js';

export type { DomainEvent, Topic } from './events.js';

/**
 * Publish/subscribe for domain events (events.ts). The in-process driver serves one instance;
 * the PostgreSQL driver (LISTEN/NOTIFY) fans out across instances. Each event goes to the
 * subscribers of its topic (`topicOf`).
 */
export interface Bus {
  publish(event: DomainEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(topic: Topic, handler: (event: DomainEvent) => void): () => void;
  close(): Promise<void>;
}
