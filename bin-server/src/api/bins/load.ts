import type { Context } from '../../context.js';
import type { Bin, BinResponse } from '../../store/types.js';
import { binNotFound } from '../http/errors.js';
import type { BinResponseInput } from './schemas.js';

/**
 * The bin an API call is about, or 404. Using a bin through the API refreshes its TTL, so the
 * touch comes first and the answer shows the new expiry.
 */
export async function loadBin(context: Context, id: string): Promise<Bin> {
  await context.store.bins.touch(id, context.now());
  const bin = await context.store.bins.get(id);
  if (!bin) throw binNotFound(id);
  return bin;
}

export function toBinResponse(input: BinResponseInput): BinResponse {
  return {
    status: input.status,
    headers: input.headers,
    body: input.body,
    delayMs: input.delay_ms,
  };
}
