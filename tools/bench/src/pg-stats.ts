import type { Pool } from 'pg';

/** Server-side counters of the bench database (pg_stat_database): what PostgreSQL itself did. */
export interface PgCounters {
  readonly commits: number;
  readonly rollbacks: number;
  readonly inserted: number;
  readonly updated: number;
  readonly fetched: number;
}

/**
 * Reads pg_stat_database for the current database. Backends publish their counters when they
 * finish a transaction at most once a second and when they exit, so read after the service
 * under test has closed its pool.
 */
export async function pgCounters(pool: Pool): Promise<PgCounters> {
  const { rows } = await pool.query<Record<keyof PgCounters, string>>(
    `select xact_commit as commits, xact_rollback as rollbacks, tup_inserted as inserted,
            tup_updated as updated, tup_fetched as fetched
       from pg_stat_database where datname = current_database()`,
  );
  const row = rows[0];
  if (!row) throw new Error('pg_stat_database has no row for the bench database');
  return {
    commits: Number(row.commits),
    rollbacks: Number(row.rollbacks),
    inserted: Number(row.inserted),
    updated: Number(row.updated),
    fetched: Number(row.fetched),
  };
}

export function pgPerMessage(before: PgCounters, after: PgCounters, messages: number): PgCounters {
  const per = (key: keyof PgCounters) =>
    Math.round(((after[key] - before[key]) / Math.max(1, messages)) * 1000) / 1000;
  return {
    commits: per('commits'),
    rollbacks: per('rollbacks'),
    inserted: per('inserted'),
    updated: per('updated'),
    fetched: per('fetched'),
  };
}
