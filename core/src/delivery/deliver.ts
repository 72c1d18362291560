import type { Attempt, AttemptRequest, DeliverOptions } from './types.js';
// STUB
export function buildRequest(
  _target: string,
  _payload: unknown,
  _options: DeliverOptions,
): AttemptRequest {
  throw new Error('not implemented');
}
export async function deliver(
  _target: string,
  _payload: unknown,
  _options: DeliverOptions,
): Promise<Attempt> {
  throw new Error('not implemented');
}
