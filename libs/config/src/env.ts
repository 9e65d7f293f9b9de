import { z } from 'zod';

/** Thrown when the environment does not match an app's config schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly app: string,
    readonly issues: readonly string[],
  ) {
    super(`${app}: invalid configuration\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}

/**
 * Parses `env` with `schema`, naming every bad variable and the expected form.
 * @example const config = parseEnv('ingest', ingestEnvSchema, process.env);
 */
export function parseEnv<S extends z.ZodType>(
  app: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // An empty string means "unset" for every variable: shells and .env files produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(app, result.error.issues.map(describeIssue));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const variable = issue.path.map(String).join('.') || '(environment)';
  return `${variable}: ${issue.message}`;
}

/** `"true"/"false"/"1"/"0"` as a boolean (z.coerce.boolean would turn "false" into true). */
export const envBoolean = z
  .enum(['true', 'false', '1', '0'], { error: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1');

/** A TCP port, 0–65535 (0 picks a free one). */
export const envPort = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port between 0 and 65535')
  .max(65_535, 'expected a port between 0 and 65535');

/** An http(s) URL. */
export const envUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** A PostgreSQL connection string. */
export const envPostgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'expected postgres://user:password@host:port/database',
});

/** Common log level setting. */
export const envLogLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
