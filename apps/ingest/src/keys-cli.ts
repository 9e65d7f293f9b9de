/**
 * `npm run keys -- create|list|revoke …`: manages API keys in PostgreSQL. An entry point (side
 * effects at import), like main.ts. Uses DATABASE_URL, which must be allowed to write api_keys.
 */
import { z } from 'zod';
import { envPostgresUrl, parseEnv } from '@herald/config';
import { createDatabase, createPool } from '@herald/db';
import { KEYS_USAGE, KeysUsageError, runKeysCommand } from './keys-command';

async function main(): Promise<number> {
  const { DATABASE_URL } = parseEnv(
    'keys',
    z.object({ DATABASE_URL: envPostgresUrl }),
    process.env,
  );
  const pool = createPool({
    connectionString: DATABASE_URL,
    max: 1,
    applicationName: 'herald-keys',
  });
  try {
    return await runKeysCommand(process.argv.slice(2), {
      db: createDatabase(pool),
      print: (line) => {
        console.log(line);
      },
    });
  } finally {
    await pool.end();
  }
}

/** The driver's own message (e.g. "permission denied for table api_keys"), not drizzle's query dump. */
function describeError(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof KeysUsageError || (error instanceof TypeError && 'code' in error);
    console.error(describeError(error));
    if (usage) console.error(KEYS_USAGE);
    process.exit(usage ? 2 : 1);
  },
);
