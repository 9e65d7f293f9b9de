import {
  envLogLevel,
  envPoolMax,
  envPort,
  envUrl,
  parseEnv,
  QUEUE_SETTINGS,
  serviceEnvFields,
  SHUTDOWN,
} from '@herald/config';
import { databaseEnvFields, databaseUrlOf, requireDatabaseParts } from '@herald/db';
import { z } from 'zod';
import { OUTAGE_BACKOFF_MS } from './consume/outage-backoff';

const MAX_PAUSE_SECONDS = Math.max(...OUTAGE_BACKOFF_MS) / 1000;

/** A whole number of seconds within [min, max]. */
function seconds(min: number, max: number) {
  return z.coerce
    .number({ error: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(min, `expected at least ${min} seconds`)
    .max(max, `expected at most ${max} seconds`);
}

function count(min: number, max: number) {
  return z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}`);
}

const workerSchema = z
  .object({
    ...databaseEnvFields,
    ...serviceEnvFields,
    /** Optional: enables the DLQ observer that records `dead_lettered` statuses. */
    DLQ_URL: envUrl.optional(),
    ALERTS_TOPIC_ARN: z
      .string({ error: 'required: arn:aws:sns:<region>:<account>:<topic>' })
      .regex(/^arn:[^:]+:sns:/, {
        error: 'expected arn:aws:sns:<region>:<account>:<topic>',
      }),
    HEALTH_PORT: envPort.default(8081),
    CONSUMERS: count(1, 32).default(2),
    BATCH_SIZE: count(1, 10).default(10),
    VISIBILITY_TIMEOUT_SECONDS: seconds(2, 43_200).default(QUEUE_SETTINGS.visibilityTimeoutSeconds),
    HEARTBEAT_SECONDS: seconds(1, 43_199).default(20),
    WAIT_TIME_SECONDS: seconds(0, 20).default(QUEUE_SETTINGS.receiveWaitTimeSeconds),
    /** A batch still running after this long is abandoned (nothing deleted; SQS redelivers). */
    BATCH_TIMEOUT_SECONDS: seconds(1, 900).default(20),
    /** /healthz turns unhealthy when a consumer has not completed a receive for this long. */
    HEALTH_STALL_SECONDS: seconds(5, 3_600).default(90),
    /** How often the DLQ observer samples the DLQ; 0 disables it. */
    DLQ_OBSERVE_SECONDS: seconds(0, 3_600).default(60),
    /**
     * How often channel totals are copied from PostgreSQL to DynamoDB: how far DynamoDB's channel
     * stats may lag the last batch, against one write per changed channel per interval. 5 s keeps
     * 200 busy channels under 0.1 write units per message from about 400 messages/s; nothing in
     * the API reads those stats, so the lag costs nothing a user sees.
     */
    CHANNEL_FLUSH_MS: count(50, 60_000).default(5_000),
    DATABASE_POOL_MAX: envPoolMax(4),
    /** What the worker allows itself to drain after SIGTERM before it exits anyway. */
    DRAIN_SECONDS: seconds(1, SHUTDOWN.stopTimeoutSeconds).default(SHUTDOWN.drainBudgetSeconds),
  })
  .refine((env) => env.HEARTBEAT_SECONDS < env.VISIBILITY_TIMEOUT_SECONDS, {
    path: ['HEARTBEAT_SECONDS'],
    error:
      'expected fewer seconds than VISIBILITY_TIMEOUT_SECONDS (the heartbeat must renew before it expires)',
  })
  .refine(
    (env) =>
      env.HEALTH_STALL_SECONDS >
      env.WAIT_TIME_SECONDS + env.BATCH_TIMEOUT_SECONDS + MAX_PAUSE_SECONDS,
    {
      path: ['HEALTH_STALL_SECONDS'],
      error: `expected more seconds than WAIT_TIME_SECONDS + BATCH_TIMEOUT_SECONDS + ${MAX_PAUSE_SECONDS} (the longest outage pause): a healthy consumer would look stalled`,
    },
  )
  .superRefine(requireDatabaseParts)
  .transform((env) => ({ ...env, databaseUrl: databaseUrlOf(env) }));

export type WorkerConfig = z.infer<typeof workerSchema>;

/**
 * Reads and validates the worker's environment; throws a ConfigError naming every bad variable.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): WorkerConfig {
  return parseEnv('worker', workerSchema, env);
}

const migrateSchema = z
  .object({
    ...databaseEnvFields,
    LOG_LEVEL: envLogLevel,
    /** The committed migrations (a bundle ships its own copy); defaults to libs/db/migrations. */
    MIGRATIONS_DIR: z.string().min(1).optional(),
    DATABASE_READER_USER: z.string().min(1).default('herald_reader'),
    /** The reader role is created or updated only when its password is given. */
    DATABASE_READER_PASSWORD: z.string().min(1).optional(),
    DATABASE_WRITER_USER: z.string().min(1).default('herald_writer'),
    /** The writer role is created or updated only when its password is given. */
    DATABASE_WRITER_PASSWORD: z.string().min(1).optional(),
  })
  .superRefine(requireDatabaseParts)
  .transform((env) => ({ ...env, databaseUrl: databaseUrlOf(env) }));

export type MigrateConfig = z.infer<typeof migrateSchema>;

/** Reads the one-off migration command's environment (DATABASE_* are the owner's credentials). */
export function loadMigrateConfig(env: Record<string, string | undefined>): MigrateConfig {
  return parseEnv('migrate', migrateSchema, env);
}
