import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;

/** A database over a pool (what createDatabase returns): the kind `withTransaction` needs. */
export type PooledDatabase = Database & { readonly $client: pg.Pool };

export interface PoolOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Connections in the pool. */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Fail a connect attempt after this many ms instead of hanging. */
  connectionTimeoutMs?: number;
  /** Abort any statement running longer than this many ms. */
  statementTimeoutMs?: number;
  /** Require TLS (RDS); local PostgreSQL runs without it. */
  ssl?: boolean;
  /** Told when a connection dies (database restart, failover); the pool reconnects on its own. */
  onConnectionError?: (error: Error) => void;
}

/** A pg pool with bounded waits, so a dead database surfaces as an error, not a hang. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    ssl: options.ssl ? { rejectUnauthorized: true } : undefined,
  });
  // A client losing its connection (a database restart or failover) emits 'error': on the pool
  // when idle, on the client itself when checked out. Unhandled, either would crash the process;
  // the query in flight rejects anyway, and the next one reconnects.
  const onError = options.onConnectionError ?? (() => undefined);
  pool.on('error', onError);
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  return pool;
}

/** A drizzle database over a pool. */
export function createDatabase(pool: pg.Pool): PooledDatabase {
  return drizzle(pool, { schema, casing: 'snake_case' });
}

/** Builds a connection string from parts (as ECS injects them from Secrets Manager). */
export function postgresUrl(parts: {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}): string {
  const credentials = `${encodeURIComponent(parts.user)}:${encodeURIComponent(parts.password)}`;
  return `postgres://${credentials}@${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}`;
}
