import { z } from 'zod';
import { envPoolMax, envPort, parseEnv, serviceEnvFields, SHUTDOWN } from '@herald/config';
import { databaseEnvFields, databaseUrlOf, requireDatabaseParts } from '@herald/db';

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);
const nonNegativeInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .min(0, `expected ${what}`);

/** The ingest's environment contract (the CDK app and the local stack set exactly these). */
export const ingestEnvSchema = z
  .object({
    ...serviceEnvFields,
    PORT: envPort.default(3000),
    ...databaseEnvFields,
    DATABASE_POOL_MAX: envPoolMax(10),
    /** Steady requests per second per API key, per task. */
    RATE_LIMIT_PER_SECOND: positiveInt('requests per second ≥ 1').default(100),
    /** Bucket size: requests a key may send at once, per task. */
    RATE_LIMIT_BURST: positiveInt('a burst ≥ 1').default(200),
    BATCH_LINGER_MS: nonNegativeInt('milliseconds ≥ 0').default(5),
    /** Sends of one SendMessageBatch entry that SQS failed on its side. */
    BATCH_MAX_ATTEMPTS: positiveInt('attempts ≥ 1').default(3),
    API_KEY_CACHE_TTL_SECONDS: positiveInt('seconds ≥ 1').default(30),
    API_KEY_CACHE_MAX: positiveInt('entries ≥ 1').default(10_000),
    /** Failed authentications a client address may make at once, then per second. */
    AUTH_FAILURE_BURST: positiveInt('failures ≥ 1').default(20),
    AUTH_FAILURE_PER_SECOND: positiveInt('failures per second ≥ 1').default(1),
    /** Proxies in front whose X-Forwarded-For entry names the client (1 behind the ALB). */
    TRUSTED_PROXY_HOPS: nonNegativeInt('a hop count ≥ 0').default(0),
    READINESS_CACHE_MS: nonNegativeInt('milliseconds ≥ 0').default(2_000),
    AWS_REQUEST_TIMEOUT_MS: positiveInt('milliseconds ≥ 1').default(5_000),
    RETRY_AFTER_SECONDS: positiveInt('seconds ≥ 1').default(5),
    /** API requests admitted at once per task; past it 503 `overloaded` at once (not queued). */
    MAX_IN_FLIGHT: positiveInt('requests ≥ 1').default(64),
    /** Shed API requests while the event loop's mean delay exceeds this (0: never on delay). */
    MAX_EVENT_LOOP_DELAY_MS: nonNegativeInt('milliseconds ≥ 0').default(1_000),
    /** The request head must arrive within this; then 408 and the connection closes. */
    HEADERS_TIMEOUT_MS: positiveInt('milliseconds ≥ 1').default(10_000),
    /** The whole request, body included, must arrive within this; then 408. */
    REQUEST_TIMEOUT_MS: positiveInt('milliseconds ≥ 1').default(30_000),
    /** Keep answering after SIGTERM this long (the ALB's deregistration delay), then drain. */
    SHUTDOWN_DELAY_MS: nonNegativeInt('milliseconds ≥ 0').default(
      SHUTDOWN.loadBalancerDeregistrationSeconds * 1000,
    ),
  })
  .superRefine(requireDatabaseParts)
  .transform((env) => {
    const {
      DATABASE_HOST: _host,
      DATABASE_PORT: _port,
      DATABASE_NAME: _name,
      DATABASE_USER: _user,
      DATABASE_PASSWORD: _password,
      ...rest
    } = env;
    return { ...rest, DATABASE_URL: databaseUrlOf(env) };
  });

export type IngestConfig = z.infer<typeof ingestEnvSchema>;

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  return parseEnv('ingest', ingestEnvSchema, env);
}
