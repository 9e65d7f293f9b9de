import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { createDatabase } from './client';

/** The committed migrations, beside this library's source (a bundle passes its own copy). */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** Applies every pending migration; safe to run concurrently (drizzle serializes in a transaction). */
export async function runMigrations(pool: pg.Pool, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  await migrate(createDatabase(pool), { migrationsFolder });
}

export interface RoleCredentials {
  readonly user: string;
  readonly password: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (or updates the password of) the two login roles the services use: the worker's
 * writer (DML on the tables) and the ingest's reader (SELECT only, plus what key lookups need).
 * Run it as the database owner after the migrations.
 */
export async function provisionRoles(
  pool: pg.Pool,
  roles: { writer?: RoleCredentials; reader?: RoleCredentials },
): Promise<void> {
  const client = await pool.connect();
  try {
    const database = (await client.query<{ db: string }>('select current_database() as db')).rows[0]?.db ?? '';
    if (roles.writer) {
      await upsertRole(client, roles.writer);
      const user = quoteIdent(roles.writer.user);
      await client.query(`grant connect on database ${quoteIdent(database)} to ${user}`);
      await client.query(`grant usage on schema public to ${user}`);
      await client.query(`grant select, insert, update, delete on all tables in schema public to ${user}`);
      await client.query(`grant usage, select on all sequences in schema public to ${user}`);
    }
    if (roles.reader) {
      await upsertRole(client, roles.reader);
      const user = quoteIdent(roles.reader.user);
      await client.query(`grant connect on database ${quoteIdent(database)} to ${user}`);
      await client.query(`grant usage on schema public to ${user}`);
      await client.query(`grant select on messages, channel_stats, api_keys to ${user}`);
    }
  } finally {
    client.release();
  }
}

async function upsertRole(client: pg.PoolClient, role: RoleCredentials): Promise<void> {
  const user = quoteIdent(role.user);
  const exists = await client.query('select 1 from pg_roles where rolname = $1', [role.user]);
  // Passwords cannot be bound parameters in DDL: quote them as literals.
  const password = `'${role.password.replaceAll("'", "''")}'`;
  const verb = exists.rowCount ? 'alter' : 'create';
  await client.query(`${verb} role ${user} with login password ${password}`);
}

function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`invalid PostgreSQL identifier: ${name}`);
  return `"${name}"`;
}
