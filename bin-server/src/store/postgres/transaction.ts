import type pg from 'pg';

/** Runs `work` in one transaction on a pooled connection: committed if it resolves, else rolled back. */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      // The connection itself failed: do not hand it out again.
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
