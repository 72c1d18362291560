import type { Database } from 'better-sqlite3';
import type { SettingsStore } from '../types.js';

export function createSqliteSettingsStore(db: Database): SettingsStore {
  const select = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const insert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
  );
  return {
    async get(key) {
      return select.get(key);
    },
    async setIfAbsent(key, value) {
      insert.run(key, value);
      return select.get(key)!;
    },
    async set(key, value) {
      upsert.run(key, value);
    },
  };
}
