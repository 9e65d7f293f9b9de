import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { createDatabase } from './client';

/** The committed migrations, beside this library's source (a bundle passes its own copy). */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** Applies every pending migration; safe to run concurrently (drizzle serializes in a transaction). */
export async function runMigrations(
  pool: pg.Pool,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  await migrate(createDatabase(pool), { migrationsFolder });
}

export interface RoleCredentials {
  readonly user: string;
  readonly password: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ProvisionOptions {
  /**
   * `set` (default) gives existing roles the password passed in: the local stack's fixed dev
   * passwords. `create-only` uses it only when creating a role: on AWS, Secrets Manager rotation
   * owns the passwords after that, and a migration must not undo a rotation.
   */
  passwords?: 'set' | 'create-only';
}

/**
 * Creates the two login roles the services use, and grants them what they need: the worker's
 * writer (DML on the tables) and the ingest's reader (SELECT only).
 * Run it as the database owner after the migrations; grants are re-applied every time, so
 * tables added by later migrations are covered.
 */
export async function provisionRoles(
  pool: pg.Pool,
  roles: { writer?: RoleCredentials; reader?: RoleCredentials },
  options: ProvisionOptions = {},
): Promise<void> {
  const passwords = options.passwords ?? 'set';
  const client = await pool.connect();
  try {
    const database =
      (await client.query<{ db: string }>('select current_database() as db')).rows[0]?.db ?? '';
    if (roles.writer) {
      await upsertRole(client, roles.writer, passwords);
      const user = quoteIdent(roles.writer.user);
      await client.query(`grant connect on database ${quoteIdent(database)} to ${user}`);
      await client.query(`grant usage on schema public to ${user}`);
      await client.query(
        `grant select, insert, update, delete on all tables in schema public to ${user}`,
      );
      await client.query(`grant usage, select on all sequences in schema public to ${user}`);
    }
    if (roles.reader) {
      await upsertRole(client, roles.reader, passwords);
      const user = quoteIdent(roles.reader.user);
      await client.query(`grant connect on database ${quoteIdent(database)} to ${user}`);
      await client.query(`grant usage on schema public to ${user}`);
      await client.query(`grant select on messages, channel_stats, api_keys to ${user}`);
    }
  } finally {
    client.release();
  }
}

async function upsertRole(
  client: pg.PoolClient,
  role: RoleCredentials,
  passwords: 'set' | 'create-only',
): Promise<void> {
  const user = quoteIdent(role.user);
  const exists = await client.query('select 1 from pg_roles where rolname = $1', [role.user]);
  if (exists.rowCount && passwords === 'create-only') return;
  // Passwords cannot be bound parameters in DDL: quote them as literals.
  const password = `'${role.password.replaceAll("'", "''")}'`;
  const verb = exists.rowCount ? 'alter' : 'create';
  await client.query(`${verb} role ${user} with login password ${password}`);
}

function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`invalid PostgreSQL identifier: ${name}`);
  return `"${name}"`;
}
