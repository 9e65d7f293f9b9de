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

/** A DynamoDB table name: DynamoDB accepts 3–255 characters. */
export const envTableName = z
  .string({ error: 'required: the DynamoDB metadata table name' })
  .min(3, 'expected a DynamoDB table name of at least 3 characters')
  .max(255, 'expected a DynamoDB table name of at most 255 characters');

/**
 * The variables both services read, declared once with one meaning (docs/conventions.md).
 * A service spreads these into its own schema and adds only what is its own.
 */
export const serviceEnvFields = {
  /** Interface the service's port binds to; 0.0.0.0 in a container. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: envLogLevel,
  AWS_REGION: z.string({ error: 'required: the AWS region, e.g. eu-west-1' }).min(1),
  /** One edge endpoint for SQS, SNS and DynamoDB (the local stack); unset on AWS. */
  AWS_ENDPOINT_URL: envUrl.optional(),
  QUEUE_URL: envUrl,
  METADATA_TABLE: envTableName,
};

/**
 * `DATABASE_POOL_MAX`: connections in the service's PostgreSQL pool, 1–100.
 * @param defaultSize what the service uses when the variable is unset
 */
export function envPoolMax(defaultSize: number) {
  return z.coerce
    .number({ error: 'expected a pool size' })
    .int('expected a whole number')
    .min(1, 'expected a pool size of at least 1')
    .max(100, 'expected a pool size of at most 100')
    .default(defaultSize);
}
