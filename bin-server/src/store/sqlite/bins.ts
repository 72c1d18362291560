import type { Database } from 'better-sqlite3';
import { BinExistsError } from '../errors.js';
import type { BinPatch, BinStore } from '../types.js';
import { responseText, rulesText, toBin, type BinRow } from '../rows/bins.js';
import { binRequestsDelete } from './search-index.js';

export function createSqliteBinStore(db: Database): BinStore {
  const insert = db.prepare(
    `INSERT INTO bins (id, name, created_at, last_used_at, response, signing_secret, max_requests)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  const select = db.prepare<[string], BinRow>('SELECT * FROM bins WHERE id = ?');
  const selectAll = db.prepare<[], BinRow>('SELECT * FROM bins ORDER BY created_at DESC, id');
  const setName = db.prepare('UPDATE bins SET name = ? WHERE id = ?');
  const setResponse = db.prepare('UPDATE bins SET response = ? WHERE id = ?');
  const setSigningSecret = db.prepare('UPDATE bins SET signing_secret = ? WHERE id = ?');
  const setMaxRequests = db.prepare('UPDATE bins SET max_requests = ? WHERE id = ?');
  const setRules = db.prepare('UPDATE bins SET rules = ? WHERE id = ?');
  const resetCounts = db.prepare('DELETE FROM rule_counters WHERE bin_id = ?');
  const count = db
    .prepare<[number, string], number>(
      `INSERT INTO rule_counters (bin_id, rule, count) SELECT id, ?, 1 FROM bins WHERE id = ?
       ON CONFLICT (bin_id, rule) DO UPDATE SET count = count + 1 RETURNING count`,
    )
    .pluck();
  const touch = db.prepare('UPDATE bins SET last_used_at = max(last_used_at, ?) WHERE id = ?');
  const deleteRequests = binRequestsDelete(db);
  const deleteBin = db.prepare('DELETE FROM bins WHERE id = ?');
  const stale = db.prepare<[number], string>('SELECT id FROM bins WHERE last_used_at < ?').pluck();

  const remove = db.transaction((id: string) => {
    deleteRequests(id);
    return deleteBin.run(id).changes > 0;
  });
  const expire = db.transaction((olderThan: number) => {
    let count = 0;
    for (const id of stale.all(olderThan)) if (remove(id)) count++;
    return count;
  });
  const update = db.transaction((id: string, patch: BinPatch, now: number) => {
    if (patch.name !== undefined) setName.run(patch.name, id);
    if (patch.response !== undefined) setResponse.run(responseText(patch.response), id);
    if (patch.signingSecret !== undefined) setSigningSecret.run(patch.signingSecret, id);
    if (patch.maxRequests !== undefined) setMaxRequests.run(patch.maxRequests, id);
    if (patch.rules !== undefined) {
      setRules.run(rulesText(patch.rules), id);
      resetCounts.run(id);
    }
    touch.run(now, id);
    return select.get(id);
  });

  return {
    async create(bin) {
      const result = insert.run(
        bin.id,
        bin.name,
        bin.now,
        bin.now,
        responseText(bin.response),
        bin.signingSecret ?? null,
        bin.maxRequests ?? null,
      );
      if (result.changes === 0) throw new BinExistsError(bin.id);
      return toBin(select.get(bin.id)!);
    },
    async get(id) {
      const row = select.get(id);
      return row ? toBin(row) : undefined;
    },
    async list() {
      return selectAll.all().map(toBin);
    },
    async update(id, patch, now) {
      const row = update(id, patch, now);
      return row ? toBin(row) : undefined;
    },
    async delete(id) {
      return remove(id);
    },
    async touch(id, now) {
      touch.run(now, id);
    },
    async expire(olderThan) {
      return expire(olderThan);
    },
    async countMatch(id, rule) {
      // 0 when the bin is gone (nothing to count against).
      return count.get(rule, id) ?? 0;
    },
  };
}
