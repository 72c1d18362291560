import type { EventDefinition } from './types.js';
// STUB: replaced by the catalog implementation.
export const catalog: readonly EventDefinition[] = [];
export function getEvent(_id: string): EventDefinition | undefined {
  return undefined;
}
export function genericEvent(_id: string): EventDefinition {
  throw new Error('not implemented');
}
export function resolveEvent(id: string): EventDefinition {
  return getEvent(id) ?? genericEvent(id);
}
