/**
 * One-off command (the production image runs `node migrate.js` as a task before the services
 * roll): applies the committed migrations, then creates the login roles whose passwords are
 * given and re-applies their grants. An existing role keeps its password: Secrets Manager
 * rotation owns it after creation. DATABASE_* are the owner's credentials. Exits non-zero on
 * any failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrExit } from '@herald/lifecycle';
import { createPool, MIGRATIONS_FOLDER, provisionRoles, runMigrations } from '@herald/db';
import { loadMigrateConfig, type MigrateConfig } from './config';

async function migrate(config: MigrateConfig): Promise<void> {
  // Migrations may rewrite large tables: no statement timeout.
  const pool = createPool({
    connectionString: config.databaseUrl,
    max: 1,
    applicationName: 'herald-migrate',
    ssl: config.DATABASE_SSL,
    statementTimeoutMs: 0,
  });
  try {
    const folder = config.MIGRATIONS_DIR ?? MIGRATIONS_FOLDER;
    if (!existsSync(join(folder, 'meta', '_journal.json'))) {
      throw new Error(
        `no migrations in ${folder} (meta/_journal.json missing): set MIGRATIONS_DIR to the migrations folder`,
      );
    }
    await runMigrations(pool, folder);
    process.stdout.write(`migrate: migrations in ${folder} applied\n`);
    const roles = {
      ...(config.DATABASE_READER_PASSWORD
        ? {
            reader: {
              user: config.DATABASE_READER_USER,
              password: config.DATABASE_READER_PASSWORD,
            },
          }
        : {}),
      ...(config.DATABASE_WRITER_PASSWORD
        ? {
            writer: {
              user: config.DATABASE_WRITER_USER,
              password: config.DATABASE_WRITER_PASSWORD,
            },
          }
        : {}),
    };
    if (roles.reader || roles.writer) {
      await provisionRoles(pool, roles, { passwords: 'create-only' });
      const names = [roles.reader?.user, roles.writer?.user].filter(Boolean).join(', ');
      process.stdout.write(`migrate: roles provisioned (${names})\n`);
    }
  } finally {
    await pool.end();
  }
}

const config = loadConfigOrExit(() => loadMigrateConfig(process.env));
try {
  await migrate(config);
} catch (error) {
  process.stderr.write(`migrate: failed: ${describe(error)}\n`);
  process.exit(1);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
