import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client';
import { withTransaction } from './transaction';

/** A pool of one fake connection whose statements fail as told. */
function fakePool(failing: Partial<Record<'begin' | 'commit' | 'rollback', Error>> = {}) {
  const statements: string[] = [];
  const releases: (Error | boolean | undefined)[] = [];
  const client = {
    query(text: unknown) {
      const statement = typeof text === 'string' ? text : 'drizzle query';
      statements.push(statement);
      const error = failing[statement as keyof typeof failing];
      return error ? Promise.reject(error) : Promise.resolve({ rows: [], rowCount: 0 });
    },
    release(error?: Error | boolean) {
      releases.push(error);
    },
  };
  const pool = { connect: () => Promise.resolve(client) } as unknown as pg.Pool;
  return { db: createDatabase(pool), statements, releases };
}

describe('withTransaction', () => {
  it('commits what the work did and releases the connection healthy', async () => {
    const { db, statements, releases } = fakePool();
    await expect(withTransaction(db, () => Promise.resolve(42))).resolves.toBe(42);
    expect(statements).toEqual(['begin', 'commit']);
    expect(releases).toEqual([false]);
  });

  it('releases (and destroys) the connection when BEGIN fails, without running the work', async () => {
    const dead = new Error('Connection terminated unexpectedly');
    const { db, statements, releases } = fakePool({ begin: dead });
    let ran = false;
    await expect(
      withTransaction(db, () => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toBe(dead);
    expect(ran).toBe(false);
    expect(statements).toEqual(['begin']);
    expect(releases).toEqual([true]);
  });

  it('rolls back on a failed work and keeps the healthy connection', async () => {
    const conflict = new Error('duplicate key');
    const { db, statements, releases } = fakePool();
    await expect(withTransaction(db, () => Promise.reject(conflict))).rejects.toBe(conflict);
    expect(statements).toEqual(['begin', 'rollback']);
    expect(releases).toEqual([false]);
  });

  it('surfaces the original error when ROLLBACK fails too, and destroys the connection', async () => {
    const cause = new Error('terminating connection due to administrator command');
    const rollbackFailure = new Error(
      'Client has encountered a connection error and is not queryable',
    );
    const { db, releases } = fakePool({ rollback: rollbackFailure });
    await expect(withTransaction(db, () => Promise.reject(cause))).rejects.toBe(cause);
    expect(releases).toEqual([true]);
  });

  it('rolls back when COMMIT fails and reports the commit error', async () => {
    const serialization = new Error('could not serialize access');
    const { db, statements, releases } = fakePool({ commit: serialization });
    await expect(withTransaction(db, () => Promise.resolve('done'))).rejects.toBe(serialization);
    expect(statements).toEqual(['begin', 'commit', 'rollback']);
    expect(releases).toEqual([false]);
  });

  // Canary: the reason withTransaction exists. When drizzle releases the client on a failed BEGIN
  // (drizzle-orm #6023/#6241), this fails: then withTransaction may go back to db.transaction().
  it('is needed: drizzle-orm 0.45 db.transaction() leaks the connection when BEGIN fails', async () => {
    const { db, releases } = fakePool({ begin: new Error('Connection terminated unexpectedly') });
    // eslint-disable-next-line no-restricted-syntax -- the canary calls what the rule forbids
    await expect(db.transaction(() => Promise.resolve())).rejects.toThrow();
    expect(releases).toEqual([]);
  });
});
