import type { Config } from '../config.js';
import type { Store } from './types.js';
// STUB: picks the driver: SQLite file (default), in-memory SQLite (--memory) or PostgreSQL (--store).
export async function openStore(_config: Config): Promise<Store> {
  throw new Error('not implemented');
}
