import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Database, PooledDatabase } from './client';
import * as schema from './schema';

/** One drizzle instance per pooled connection (pg-pool reuses its clients). */
const overClient = new WeakMap<pg.PoolClient, Database>();

function databaseOver(client: pg.PoolClient): Database {
  let db = overClient.get(client);
  if (!db) {
    db = drizzle(client, { schema, casing: 'snake_case' });
    overClient.set(client, db);
  }
  return db;
}

/**
 * Runs `work` in one transaction on one pooled connection, and ALWAYS gives the connection back.
 *
 * Use this instead of drizzle's `db.transaction()`: in drizzle-orm 0.45 (node-postgres) BEGIN runs
 * before the try/finally that releases the client, so a BEGIN that fails (the connection died
 * while idle: a database restart, a failover) leaks the client for the life of the process, and
 * `pool.end()` then waits for it forever (drizzle-orm issues #6023, #6241). Here:
 * - a failed BEGIN or ROLLBACK releases the client as broken, so pg-pool destroys it instead
 *   of handing a broken connection to the next caller;
 * - a failed ROLLBACK never hides the error that caused it: the caller sees the original one.
 */
export async function withTransaction<T>(
  db: PooledDatabase,
  work: (tx: Database) => Promise<T>,
): Promise<T> {
  const client = await db.$client.connect();
  /** Set when the connection may be dead or mid-transaction: pg-pool then destroys it. */
  let broken = false;
  try {
    try {
      await client.query('begin');
    } catch (error) {
      broken = true;
      throw error;
    }
    try {
      const result = await work(databaseOver(client));
      await client.query('commit');
      return result;
    } catch (error) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
