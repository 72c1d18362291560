/**
 * Publish/subscribe for live metadata. The in-process driver serves one instance; the PostgreSQL
 * driver (LISTEN/NOTIFY) fans out across instances. Messages must stay small (metadata only).
 */
export type Topic = `bin:${string}` | 'sandbox';

export interface Bus {
  publish(topic: Topic, message: object): void;
  /** Returns the unsubscribe function. */
  subscribe(topic: Topic, handler: (message: object) => void): () => void;
  close(): Promise<void>;
}
