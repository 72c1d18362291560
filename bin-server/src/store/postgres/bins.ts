import type pg from 'pg';
import { BinExistsError } from '../errors.js';
import type { BinStore, ResponseRule } from '../types.js';
import { responseText, rulesText, toBin, type BinRow } from '../rows/bins.js';
import { transaction } from './transaction.js';

const columns =
  'id, name, created_at, last_used_at, response, request_count, evicted_count, signing_secret, max_requests, rules';

/**
 * Deletes a bin and then its requests, in one transaction. The bin row goes first: its lock
 * waits for an insert batch that holds it, and the requests delete that follows sees that
 * batch's rows; a later batch finds no bin and fails with bin_not_found. Every transaction locks
 * one bins row, or several in id order (request batches), so none can deadlock.
 */
async function removeBin(pool: pg.Pool, id: string, unusedSince?: number): Promise<boolean> {
  return transaction(pool, async (client) => {
    const gone =
      unusedSince === undefined
        ? await client.query('DELETE FROM bins WHERE id = $1', [id])
        : await client.query('DELETE FROM bins WHERE id = $1 AND last_used_at < $2', [
            id,
            unusedSince,
          ]);
    if (gone.rowCount === 0) return false;
    await client.query('DELETE FROM requests WHERE bin_id = $1', [id]);
    return true;
  });
}

/** Saving rules: set them and start their counts again, in one transaction. */
async function saveRules(pool: pg.Pool, id: string, rules: ResponseRule[]): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query('UPDATE bins SET rules = $2 WHERE id = $1', [id, rulesText(rules)]);
    await client.query('DELETE FROM rule_counters WHERE bin_id = $1', [id]);
  });
}

export function createPostgresBinStore(pool: pg.Pool): BinStore {
  return {
    async create(bin) {
      const { rows } = await pool.query<BinRow>(
        `INSERT INTO bins (id, name, created_at, last_used_at, response, signing_secret, max_requests)
         VALUES ($1, $2, $3, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING RETURNING ${columns}`,
        [
          bin.id,
          bin.name,
          bin.now,
          responseText(bin.response),
          bin.signingSecret ?? null,
          bin.maxRequests ?? null,
        ],
      );
      if (rows.length === 0) throw new BinExistsError(bin.id);
      return toBin(rows[0]!);
    },
    async get(id) {
      const { rows } = await pool.query<BinRow>(`SELECT ${columns} FROM bins WHERE id = $1`, [id]);
      return rows[0] ? toBin(rows[0]) : undefined;
    },
    async list() {
      const { rows } = await pool.query<BinRow>(
        `SELECT ${columns} FROM bins ORDER BY created_at DESC, id COLLATE "C"`,
      );
      return rows.map(toBin);
    },
    async update(id, patch, now) {
      if (patch.rules !== undefined) await saveRules(pool, id, patch.rules);
      // One statement: the fields as given (CASE keeps what was not), and a touch.
      const { rows } = await pool.query<BinRow>(
        `UPDATE bins SET
           name = CASE WHEN $2 THEN $3 ELSE name END,
           response = CASE WHEN $4 THEN $5 ELSE response END,
           signing_secret = CASE WHEN $7 THEN $8 ELSE signing_secret END,
           max_requests = CASE WHEN $9 THEN $10::integer ELSE max_requests END,
           last_used_at = GREATEST(last_used_at, $6)
         WHERE id = $1 RETURNING ${columns}`,
        [
          id,
          patch.name !== undefined,
          patch.name ?? null,
          patch.response !== undefined,
          responseText(patch.response),
          now,
          patch.signingSecret !== undefined,
          patch.signingSecret ?? null,
          patch.maxRequests !== undefined,
          patch.maxRequests ?? null,
        ],
      );
      return rows[0] ? toBin(rows[0]) : undefined;
    },
    async delete(id) {
      return removeBin(pool, id);
    },
    async touch(id, now) {
      await pool.query('UPDATE bins SET last_used_at = GREATEST(last_used_at, $2) WHERE id = $1', [
        id,
        now,
      ]);
    },
    async expire(olderThan) {
      // One bin per transaction (see removeBin); a bin used meanwhile is kept.
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM bins WHERE last_used_at < $1 ORDER BY id',
        [olderThan],
      );
      let count = 0;
      for (const { id } of rows) if (await removeBin(pool, id, olderThan)) count += 1;
      return count;
    },
    async countMatch(id, rule) {
      // One upsert: atomic across instances. No row (0) when the bin is gone.
      const { rows } = await pool.query<{ count: string }>(
        `INSERT INTO rule_counters (bin_id, rule, count) SELECT id, $2, 1 FROM bins WHERE id = $1
         ON CONFLICT (bin_id, rule) DO UPDATE SET count = rule_counters.count + 1
         RETURNING count`,
        [id, rule],
      );
      return rows[0] ? Number(rows[0].count) : 0;
    },
  };
}
