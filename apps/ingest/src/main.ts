/**
 * The composition root: reads the configuration, builds every client once, serves the API and
 * drains on SIGTERM (a second signal exits 1 at once, docs/conventions.md#shutdown). The only file with side effects at import.
 */
import { SHUTDOWN } from '@herald/config';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import { createDatabase, createPool, findActiveKeyByHash } from '@herald/db';
import { loadConfigOrExit, onShutdownSignal } from '@herald/lifecycle';
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
const sqs = createSqsClient({ ...aws, fastPath: true });
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

onShutdownSignal({
  logger,
  name: 'ingest',
  // The delay is spent answering; the drain budget starts after it.
  budgetMs: config.SHUTDOWN_DELAY_MS + SHUTDOWN.drainBudgetSeconds * 1000,
  async stop(deadline) {
    const drained = await drain({
      server,
      lifecycle,
      logger,
      delayMs: config.SHUTDOWN_DELAY_MS,
      deadline,
      flushQueue: () => queue.close(),
      closeClients: async () => {
        sqs.destroy();
        dynamodb.destroy();
        await pool.end();
      },
    });
    // What this process did and what it cost, for operators and the tests (as `worker usage`).
    logger.info({ metrics: metrics.snapshot() }, 'ingest usage');
    return drained;
  },
});
