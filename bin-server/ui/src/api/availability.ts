/**
 * Whether the server and its data store answer, as the last API calls found. One place for
 * every page: `send` in client.ts reports failures, the banner shows the outage and probes a read
 * of the store until one succeeds (only that clears it: a call that never touches the store, like
 * the event catalog, proves nothing), and pages remount then so they load what they missed.
 */
/** `store`: the API answered 503 store_unavailable; `server`: no answer (down, or timed out). */
export type Outage = 'store' | 'server';

let outage: Outage | undefined;
let recoveries = 0;
const listeners = new Set<() => void>();

function publish(): void {
  for (const listener of listeners) listener();
}

export function reportOutage(kind: Outage): void {
  if (outage === kind) return;
  outage = kind;
  publish();
}

export function reportRecovered(): void {
  if (!outage) return;
  outage = undefined;
  recoveries++;
  publish();
}

export function currentOutage(): Outage | undefined {
  return outage;
}

/** Counts the outages that ended: a key that changes when the pages should load again. */
export function recoveryCount(): number {
  return recoveries;
}

export function onAvailabilityChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
