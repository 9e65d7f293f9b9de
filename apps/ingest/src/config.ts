import { z } from 'zod';
import { envBoolean, envLogLevel, envPort, envPostgresUrl, envUrl, parseEnv } from '@herald/config';
import { postgresUrl } from '@herald/db';

const positiveInt = (what: string) => z.coerce.number({ error: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);
const nonNegativeInt = (what: string) => z.coerce.number({ error: `expected ${what}` }).int(`expected ${what}`).min(0, `expected ${what}`);

/** The ingest's environment contract (the CDK app and the local stack set exactly these). */
export const ingestEnvSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: envPort.default(3000),
    LOG_LEVEL: envLogLevel,
    AWS_REGION: z.string({ error: 'required: the AWS region, e.g. eu-west-1' }).min(1),
    AWS_ENDPOINT_URL: envUrl.optional(),
    QUEUE_URL: envUrl,
    METADATA_TABLE: z.string({ error: 'required: the DynamoDB metadata table name' }).min(1),
    DATABASE_URL: envPostgresUrl.optional(),
    DATABASE_HOST: z.string().min(1).optional(),
    DATABASE_PORT: envPort.default(5432),
    DATABASE_NAME: z.string().min(1).optional(),
    DATABASE_USER: z.string().min(1).optional(),
    DATABASE_PASSWORD: z.string().min(1).optional(),
    DATABASE_SSL: envBoolean.default(false),
    DATABASE_POOL_MAX: positiveInt('a pool size ≥ 1').default(10),
    /** Steady requests per second per API key, per task. */
    RATE_LIMIT_PER_SECOND: positiveInt('requests per second ≥ 1').default(100),
    /** Bucket size: requests a key may send at once, per task. */
    RATE_LIMIT_BURST: positiveInt('a burst ≥ 1').default(200),
    BATCH_LINGER_MS: nonNegativeInt('milliseconds ≥ 0').default(5),
    /** Sends of one SendMessageBatch entry that SQS failed on its side. */
    BATCH_MAX_ATTEMPTS: positiveInt('attempts ≥ 1').default(3),
    API_KEY_CACHE_TTL_SECONDS: positiveInt('seconds ≥ 1').default(30),
    API_KEY_CACHE_MAX: positiveInt('entries ≥ 1').default(10_000),
    READINESS_CACHE_MS: nonNegativeInt('milliseconds ≥ 0').default(2_000),
    AWS_REQUEST_TIMEOUT_MS: positiveInt('milliseconds ≥ 1').default(5_000),
    RETRY_AFTER_SECONDS: positiveInt('seconds ≥ 1').default(5),
    /** Wait after readiness turns 503 before closing the listener, so the load balancer notices. */
    SHUTDOWN_DELAY_MS: nonNegativeInt('milliseconds ≥ 0').default(0),
  })
  .superRefine((env, context) => {
    if (env.DATABASE_URL) return;
    for (const name of ['DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_PASSWORD'] as const) {
      if (!env[name]) context.addIssue({ code: 'custom', path: [name], message: 'required when DATABASE_URL is not set (set DATABASE_URL, or all DATABASE_* parts)' });
    }
  })
  .transform(({ DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD, DATABASE_URL, ...rest }) => ({
    ...rest,
    DATABASE_URL:
      DATABASE_URL ??
      postgresUrl({ host: DATABASE_HOST ?? '', port: DATABASE_PORT, database: DATABASE_NAME ?? '', user: DATABASE_USER ?? '', password: DATABASE_PASSWORD ?? '' }),
  }));

export type IngestConfig = z.infer<typeof ingestEnvSchema>;

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  return parseEnv('ingest', ingestEnvSchema, env);
}
