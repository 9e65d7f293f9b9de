/**
 * The composition root: reads the configuration, builds every client once, serves the API and
 * drains on SIGTERM. The only file with side effects at import.
 */
import { SHUTDOWN } from '@herald/config';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import { createDatabase, createPool, findActiveKeyByHash } from '@herald/db';
import { loadConfigOrExit } from '@herald/lifecycle';
import { createLogger } from '@herald/observability';
import { createApp } from './app';
import { CachedApiKeyVerifier } from './auth/cached-api-key-verifier';
import { loadConfig } from './config';
import { DynamoDbIdempotencyStore } from './idempotency/dynamodb-idempotency-store';
import { Lifecycle } from './lifecycle';
import { PostgresMessageReader } from './messages/postgres-message-reader';
import { OverloadShedder } from './overload/overload-shedder';
import { IngestMetrics } from './metrics';
import { SqsMessageQueue } from './queue/sqs-message-queue';
import { TokenBucketRateLimiter } from './rate-limit/token-bucket';
import { dependencyChecks } from './readiness/dependency-checks';
import { CachedReadiness } from './readiness/readiness';
import { drain } from './shutdown';
import { startHttpServer } from './http-server';
import { DynamoDbMessageStatusStore } from './status/dynamodb-message-status-store';

const config = loadConfigOrExit(() => loadConfig(process.env));
const logger = createLogger({ service: 'ingest', level: config.LOG_LEVEL });
const aws = {
  region: config.AWS_REGION,
  endpoint: config.AWS_ENDPOINT_URL,
  requestTimeoutMs: config.AWS_REQUEST_TIMEOUT_MS,
};
const sqs = createSqsClient(aws);
const dynamodb = createDynamoDbDocumentClient(aws);
const pool = createPool({
  connectionString: config.DATABASE_URL,
  max: config.DATABASE_POOL_MAX,
  applicationName: 'herald-ingest',
  ssl: config.DATABASE_SSL,
  statementTimeoutMs: 5_000,
});
const db = createDatabase(pool);
const metrics = new IngestMetrics();
const lifecycle = new Lifecycle();
const queue = new SqsMessageQueue({
  client: sqs,
  queueUrl: config.QUEUE_URL,
  lingerMs: config.BATCH_LINGER_MS,
  maxAttempts: config.BATCH_MAX_ATTEMPTS,
  metrics,
  logger,
});

const app = createApp({
  logger,
  queue,
  lifecycle,
  retryAfterSeconds: config.RETRY_AFTER_SECONDS,
  overload: new OverloadShedder({
    maxInFlight: config.MAX_IN_FLIGHT,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
  }),
  keys: new CachedApiKeyVerifier({
    lookup: (hash) => findActiveKeyByHash(db, hash),
    ttlMs: config.API_KEY_CACHE_TTL_SECONDS * 1000,
    negativeTtlMs: Math.min(5_000, config.API_KEY_CACHE_TTL_SECONDS * 1000),
    maxEntries: config.API_KEY_CACHE_MAX,
  }),
  idempotency: new DynamoDbIdempotencyStore({ client: dynamodb, tableName: config.METADATA_TABLE }),
  statuses: new DynamoDbMessageStatusStore(dynamodb, config.METADATA_TABLE),
  messages: new PostgresMessageReader(db),
  rateLimiter: new TokenBucketRateLimiter({
    ratePerSecond: config.RATE_LIMIT_PER_SECOND,
    burst: config.RATE_LIMIT_BURST,
  }),
  authFailures: new TokenBucketRateLimiter({
    ratePerSecond: config.AUTH_FAILURE_PER_SECOND,
    burst: config.AUTH_FAILURE_BURST,
  }),
  trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  readiness: new CachedReadiness(
    dependencyChecks({
      pool,
      sqs,
      dynamodb,
      queueUrl: config.QUEUE_URL,
      metadataTable: config.METADATA_TABLE,
    }),
    { cacheMs: config.READINESS_CACHE_MS, timeoutMs: 2_000 },
  ),
});

const server = startHttpServer({
  fetch: app.fetch,
  hostname: config.HOST,
  port: config.PORT,
  headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  onListening: (port) => {
    logger.info({ host: config.HOST, port }, 'ingest listening');
  },
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  drain({
    server,
    lifecycle,
    logger,
    delayMs: config.SHUTDOWN_DELAY_MS,
    // The delay is spent answering; the drain budget starts after it.
    budgetMs: config.SHUTDOWN_DELAY_MS + SHUTDOWN.drainBudgetSeconds * 1000,
    flushQueue: () => queue.close(),
    closeClients: async () => {
      sqs.destroy();
      dynamodb.destroy();
      await pool.end();
    },
    onTimeout: () => process.exit(1),
  })
    .then(() => {
      // The bench reads this line to compute SQS requests per message.
      logger.info({ metrics: metrics.snapshot() }, 'ingest stopped');
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, 'drain failed');
      process.exit(1);
    });
}

process.on('SIGTERM', () => {
  shutdown('SIGTERM');
});
process.on('SIGINT', () => {
  shutdown('SIGINT');
});
