/**
 * Composition root of the worker: the only module with side effects at import. It reads the
 * configuration, builds each client once, wires the adapters into the worker, opens the health
 * endpoint, starts polling, and drains on SIGTERM.
 */
import { createDynamoDbDocumentClient, createSnsClient, createSqsClient } from '@herald/aws';
import { createDatabase, createPool } from '@herald/db';
import { loadConfigOrExit, onShutdownSignal } from '@herald/lifecycle';
import { createLogger } from '@herald/observability';
import { DynamoDbMetadataStore } from './metadata/dynamodb-metadata-store';
import { PostgresChannelSync } from './store/postgres-channel-sync';
import { PostgresMessageStore } from './store/postgres-message-store';
import { SnsAlertPublisher } from './alerts/sns-alert-publisher';
import { auditBatchEntries } from './metrics/sqs-batch-audit';
import { UsageMeter } from './metrics/usage-meter';
import { loadConfig, type WorkerConfig } from './config';
import { close, createHealthServer, listen } from './health/health-server';
import { createWorker } from './worker';

async function main(config: WorkerConfig): Promise<void> {
  const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  const aws = {
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL ? { endpoint: config.AWS_ENDPOINT_URL } : {}),
  };
  // Long polls hold a request open for WAIT_TIME_SECONDS: the timeout must exceed it.
  const sqs = createSqsClient({
    ...aws,
    requestTimeoutMs: (config.WAIT_TIME_SECONDS + 10) * 1000,
    fastPath: true,
  });
  auditBatchEntries(sqs, logger);
  const dynamo = createDynamoDbDocumentClient({ ...aws, requestTimeoutMs: 5_000 });
  const sns = createSnsClient({ ...aws, requestTimeoutMs: 5_000 });
  const meter = new UsageMeter();
  meter.attach('sqs', sqs);
  meter.attach('dynamodb', dynamo);
  meter.attach('sns', sns);
  const pool = createPool({
    connectionString: config.databaseUrl,
    max: config.DATABASE_POOL_MAX,
    applicationName: 'herald-worker',
    ssl: config.DATABASE_SSL,
    // The statement in progress, or the next one, fails and the batch is left for redelivery.
    onConnectionError: (error) => {
      logger.warn(
        { err: { name: error.name, message: error.message } },
        'PostgreSQL connection lost',
      );
    },
  });
  const db = createDatabase(pool);
  const worker = createWorker(
    {
      sqs,
      store: new PostgresMessageStore(db),
      channels: new PostgresChannelSync(db),
      metadata: new DynamoDbMetadataStore(dynamo, config.METADATA_TABLE),
      alerts: new SnsAlertPublisher(sns, config.ALERTS_TOPIC_ARN),
      logger,
    },
    {
      queueUrl: config.QUEUE_URL,
      ...(config.DLQ_URL ? { dlqUrl: config.DLQ_URL } : {}),
      consumers: config.CONSUMERS,
      batchSize: config.BATCH_SIZE,
      visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
      heartbeatSeconds: config.HEARTBEAT_SECONDS,
      waitTimeSeconds: config.WAIT_TIME_SECONDS,
      batchTimeoutSeconds: config.BATCH_TIMEOUT_SECONDS,
      healthStallSeconds: config.HEALTH_STALL_SECONDS,
      dlqObserveSeconds: config.DLQ_OBSERVE_SECONDS,
      channelFlushMs: config.CHANNEL_FLUSH_MS,
    },
  );
  const server = createHealthServer(() => worker.health());
  const { port } = await listen(server, config.HEALTH_PORT, config.HOST);
  logger.info({ host: config.HOST, port }, 'health endpoint listening on /healthz');
  worker.start();
  onShutdownSignal({
    logger,
    name: 'worker',
    budgetMs: config.DRAIN_SECONDS * 1000,
    async stop(deadline) {
      const drained = await worker.drain(deadline);
      // What this process did and what it cost: the bench reads this line, operators too.
      logger.info({ totals: worker.totals(), usage: meter.usage() }, 'worker usage');
      await Promise.all([close(server), pool.end()]);
      for (const client of [sqs, dynamo, sns]) client.destroy();
      return drained;
    },
  });
}

const config = loadConfigOrExit(() => loadConfig(process.env));
main(config).catch((error: unknown) => {
  process.stderr.write(
    `worker: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
