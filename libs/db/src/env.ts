import { envBoolean, envPort, envPostgresUrl } from '@herald/config';
import { z } from 'zod';
import { postgresUrl } from './client';

/**
 * The database part of a service's environment: either `DATABASE_URL`, or the parts ECS injects
 * from Secrets Manager. Spread into an app's env schema, then add `.superRefine(requireDatabaseParts)`
 * and take the connection string from {@link databaseUrlOf}.
 */
export const databaseEnvFields = {
  DATABASE_URL: envPostgresUrl.optional(),
  DATABASE_HOST: z.string().optional(),
  DATABASE_PORT: envPort.default(5432),
  DATABASE_NAME: z.string().optional(),
  DATABASE_USER: z.string().optional(),
  DATABASE_PASSWORD: z.string().optional(),
  /** TLS with certificate verification (RDS). */
  DATABASE_SSL: envBoolean.default(false),
};

export type DatabaseEnv = z.infer<z.ZodObject<typeof databaseEnvFields>>;

const DATABASE_PARTS = [
  'DATABASE_HOST',
  'DATABASE_NAME',
  'DATABASE_USER',
  'DATABASE_PASSWORD',
] as const;

/** Parts are read only when `DATABASE_URL` is unset, and then all but `DATABASE_PORT` are required. */
export function requireDatabaseParts(env: DatabaseEnv, context: z.core.$RefinementCtx): void {
  if (env.DATABASE_URL) return;
  for (const name of DATABASE_PARTS) {
    if (!env[name]) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message:
          'required when DATABASE_URL is unset (set DATABASE_URL, or DATABASE_HOST/PORT/NAME/USER/PASSWORD)',
      });
    }
  }
}

/** The connection string, from `DATABASE_URL` or from the parts (checked by {@link requireDatabaseParts}). */
export function databaseUrlOf(env: DatabaseEnv): string {
  return (
    env.DATABASE_URL ??
    postgresUrl({
      host: env.DATABASE_HOST ?? '',
      port: env.DATABASE_PORT,
      database: env.DATABASE_NAME ?? '',
      user: env.DATABASE_USER ?? '',
      password: env.DATABASE_PASSWORD ?? '',
    })
  );
}
