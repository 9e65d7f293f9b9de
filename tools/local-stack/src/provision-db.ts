import { createPool, provisionRoles, runMigrations } from '@herald/db';

/** Local-only credentials of the two service roles (the CDK uses Secrets Manager instead). */
export const LOCAL_ROLES = {
  writer: { user: 'herald_writer', password: 'herald_writer' },
  reader: { user: 'herald_reader', password: 'herald_reader' },
} as const;

/** Applies the committed migrations as the owner, then creates the writer and reader roles. */
export async function provisionDatabase(ownerUrl: string): Promise<void> {
  const pool = createPool({
    connectionString: ownerUrl,
    max: 2,
    applicationName: 'herald-local-stack',
  });
  try {
    await runMigrations(pool);
    await provisionRoles(pool, LOCAL_ROLES);
  } finally {
    await pool.end();
  }
}
