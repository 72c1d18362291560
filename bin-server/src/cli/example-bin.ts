import { BinExistsError } from '../store/errors.js';
import { newBinId } from '../store/bin-id.js';
import type { Store } from '../store/types.js';

const SETTING = 'example_bin_id';

/**
 * The bin printed at start-up: created on the first start, then the same id (and URL) on every
 * restart — re-created with that id if it expired meanwhile. Printing it counts as use.
 */
export async function ensureExampleBin(store: Store, now: number): Promise<string> {
  // setIfAbsent: servers starting together on a shared store agree on one example bin.
  const id =
    (await store.settings.get(SETTING)) ?? (await store.settings.setIfAbsent(SETTING, newBinId()));
  if (await store.bins.get(id)) {
    await store.bins.touch(id, now);
    return id;
  }
  try {
    await store.bins.create({ id, name: 'example', now });
  } catch (error) {
    if (!(error instanceof BinExistsError)) throw error;
  }
  return id;
}
