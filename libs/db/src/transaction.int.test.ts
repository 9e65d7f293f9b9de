import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, createPool } from './client';
import { withTransaction } from './transaction';

const stack = inject('stack');
const killer = createPool({ connectionString: stack.databaseUrl, max: 1 });

afterAll(async () => {
  await killer.end();
});

/** pool.end() resolves only once every connection is back: a leaked one makes it hang. */
async function endsWithin(pool: { end(): Promise<void> }, ms: number): Promise<boolean> {
  return Promise.race([pool.end().then(() => true), sleep(ms).then(() => false)]);
}

async function backendPid(db: ReturnType<typeof createDatabase>): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return Number(rows[0]?.pid);
  });
}

describe('withTransaction on a real PostgreSQL', () => {
  it('commits, and rolls back with the original error', async () => {
    const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
    const db = createDatabase(pool);
    const table = `tx_${randomUUID().slice(0, 8)}`;
    try {
      await pool.query(`create table ${table} (n int primary key)`);
      await withTransaction(db, (tx) => tx.execute(sql.raw(`insert into ${table} values (1)`)));
      const duplicate = withTransaction(db, async (tx) => {
        await tx.execute(sql.raw(`insert into ${table} values (2)`));
        await tx.execute(sql.raw(`insert into ${table} values (1)`));
      });
      await expect(duplicate).rejects.toMatchObject({ cause: { code: '23505' } });
      const { rows } = await pool.query<{ n: number }>(`select n from ${table} order by n`);
      expect(rows.map((row) => row.n)).toEqual([1]);
    } finally {
      await pool.query(`drop table if exists ${table}`);
      await pool.end();
    }
  });

  it('never leaks a connection whose backend died while it sat idle in the pool', async () => {
    const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
    const db = createDatabase(pool);
    let beginFailures = 0;
    for (let round = 0; round < 10; round += 1) {
      const pid = await backendPid(db);
      await killer.query('select pg_terminate_backend($1)', [pid]);
      // The pool still believes its idle connection is fine: the next BEGIN usually meets the
      // termination. Whatever happens, the connection must come back (or be destroyed).
      await withTransaction(db, () => Promise.resolve()).catch(() => {
        beginFailures += 1;
      });
      expect(
        pool.totalCount - pool.idleCount,
        `round ${String(round)}: a connection is still out`,
      ).toBe(0);
    }
    // With max 1, a leak would also make this time out instead of answering.
    expect(await backendPid(db)).toBeGreaterThan(0);
    expect(await endsWithin(pool, 5_000)).toBe(true);
    expect(beginFailures, 'the race this test is about never happened').toBeGreaterThan(0);
  });
});
