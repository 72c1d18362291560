import type pg from 'pg';
import type { SettingsStore } from '../types.js';

export function createPostgresSettingsStore(pool: pg.Pool): SettingsStore {
  async function get(key: string): Promise<string | undefined> {
    const { rows } = await pool.query<{ value: string }>(
      'SELECT value FROM settings WHERE key = $1',
      [key],
    );
    return rows[0]?.value;
  }
  return {
    get,
    async set(key, value) {
      await pool.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },
    async setIfAbsent(key, value) {
      // Two statements: the SELECT (a new snapshot) sees a row another instance inserted
      // concurrently, which the INSERT waited for and skipped.
      await pool.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [key, value],
      );
      const stored = await get(key);
      if (stored === undefined) throw new Error(`The setting ${key} was deleted while being set.`);
      return stored;
    },
  };
}
