/**
 * Worker drain rate and cost per message on the local stack.
 *
 *   npm run bench:worker -w @herald/bench       (or: npx tsx tools/bench/src/worker-drain-bench.ts)
 *
 * Starts a local stack (or uses the one described by BENCH_* variables), creates a fresh queue
 * and DLQ, pre-fills it with BENCH_MESSAGES ~1 KB envelopes (mixed priorities, SendMessageBatch),
 * then runs the production worker (apps/worker/src/main.ts, its own process) until the queue is
 * empty and every row is in PostgreSQL. Prints messages/s from the first receive to the last
 * batch, DynamoDB write units per message and SQS requests per message, as the worker itself
 * metered them on its clients (its `worker usage` line at SIGTERM).
 *
 * Tunables: BENCH_MESSAGES (20000), BENCH_CONSUMERS (4), BENCH_BATCH_SIZE (10), BENCH_CHANNELS
 * (20), BENCH_LOG_LEVEL (info: the per-message log line is part of the cost), BENCH_DB_POOL_SIZE
 * (8), BENCH_TIMEOUT_SECONDS (600), BENCH_NODE_ARGS (extra node flags for the worker, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`). To use a running stack instead of starting one:
 * BENCH_AWS_ENDPOINT, BENCH_REGION, BENCH_METADATA_TABLE, BENCH_ALERTS_TOPIC_ARN,
 * BENCH_DATABASE_URL (owner, for counting rows) and BENCH_WRITER_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsClient } from '@herald/aws';
import { createPool } from '@herald/db';
import { startStack } from '@herald/local-stack';
import { fillQueue } from './worker-bench-fill';
import { startWorkerProcess, type BatchLine } from './worker-bench-process';
import { benchInt } from './bench-env';

const WORKSPACE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const env = process.env;
const MESSAGES = benchInt(env, 'BENCH_MESSAGES', 20_000, 100, 200_000);
const CONSUMERS = benchInt(env, 'BENCH_CONSUMERS', 4, 1, 32);
const BATCH_SIZE = benchInt(env, 'BENCH_BATCH_SIZE', 10, 1, 10);
const CHANNELS = benchInt(env, 'BENCH_CHANNELS', 20, 1, 1_000);
const POOL_SIZE = benchInt(env, 'BENCH_DB_POOL_SIZE', 8, 1, 100);
const TIMEOUT_MS = benchInt(env, 'BENCH_TIMEOUT_SECONDS', 600, 10, 3_600) * 1000;

interface Target {
  region: string;
  awsEndpoint: string;
  metadataTable: string;
  alertsTopicArn: string;
  databaseUrl: string;
  writerDatabaseUrl: string;
  stop(): Promise<void>;
}

async function target(): Promise<Target> {
  if (env.BENCH_AWS_ENDPOINT) {
    const need = (name: string): string => {
      const value = env[name];
      if (!value) throw new Error(`${name} is required with BENCH_AWS_ENDPOINT`);
      return value;
    };
    return {
      region: env.BENCH_REGION ?? 'us-east-1',
      awsEndpoint: need('BENCH_AWS_ENDPOINT'),
      metadataTable: need('BENCH_METADATA_TABLE'),
      alertsTopicArn: need('BENCH_ALERTS_TOPIC_ARN'),
      databaseUrl: need('BENCH_DATABASE_URL'),
      writerDatabaseUrl: need('BENCH_WRITER_DATABASE_URL'),
      stop: () => Promise.resolve(),
    };
  }
  console.log('starting a local stack…');
  // Durable PostgreSQL by default, as in production; BENCH_FAST=1 trades fsync for speed.
  return startStack({ fast: env.BENCH_FAST === '1', nameSuffix: 'bench-worker' });
}

async function createQueues(
  sqs: SQSClient,
  name: string,
): Promise<{ queueUrl: string; dlqUrl: string }> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: 5,
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl ?? '', dlqUrl };
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Object.values(Attributes ?? {}).reduce((sum, value) => sum + Number(value), 0);
}

interface Usage {
  totals: Record<string, number>;
  usage: { requests: Record<string, Record<string, number>>; dynamoWriteUnits: number };
}

function sum(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((total, count) => total + count, 0);
}

/** First receive ≈ end of the first batch minus its duration; drain ends with the last batch. */
function drainWindow(batches: readonly BatchLine[]): { startedAt: number; endedAt: number } {
  const first = batches.reduce(
    (earliest, batch) => Math.min(earliest, batch.at - (batch.metrics.durationMs ?? 0)),
    Infinity,
  );
  const last = batches.reduce((latest, batch) => Math.max(latest, batch.at), 0);
  return { startedAt: first, endedAt: last };
}

async function run(stack: Target): Promise<Record<string, unknown>> {
  const sqs = createSqsClient({ region: stack.region, endpoint: stack.awsEndpoint });
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  const name = `bench-worker-${randomBytes(3).toString('hex')}`;
  const tenant = name;
  const queues = await createQueues(sqs, name);
  try {
    const fillStarted = Date.now();
    const { bytes } = await fillQueue(sqs, queues.queueUrl, {
      tenant,
      count: MESSAGES,
      channels: CHANNELS,
      concurrency: 16,
    });
    console.log(
      `queued ${MESSAGES} messages (${(bytes / MESSAGES).toFixed(0)} B each) in ${Date.now() - fillStarted} ms`,
    );

    const worker = await startWorkerProcess(
      WORKSPACE,
      {
        AWS_REGION: stack.region,
        AWS_ENDPOINT_URL: stack.awsEndpoint,
        QUEUE_URL: queues.queueUrl,
        DLQ_URL: queues.dlqUrl,
        METADATA_TABLE: stack.metadataTable,
        ALERTS_TOPIC_ARN: stack.alertsTopicArn,
        DATABASE_URL: stack.writerDatabaseUrl,
        HOST: '127.0.0.1',
        HEALTH_PORT: '0',
        LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'info',
        CONSUMERS: String(CONSUMERS),
        BATCH_SIZE: String(BATCH_SIZE),
        DATABASE_POOL_MAX: String(POOL_SIZE),
        WAIT_TIME_SECONDS: '2',
      },
      env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
    );
    const deadline = Date.now() + TIMEOUT_MS;
    let rows = 0;
    for (;;) {
      const { rows: counted } = await pool.query<{ count: string }>(
        'select count(*) from messages where tenant = $1',
        [tenant],
      );
      rows = Number(counted[0]?.count ?? 0);
      if (rows >= MESSAGES && (await queueDepth(sqs, queues.queueUrl)) === 0) break;
      if (Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    const { code, usage } = await worker.stop();
    if (rows < MESSAGES)
      throw new Error(`timed out: ${rows}/${MESSAGES} rows after ${TIMEOUT_MS} ms`);
    if (code !== 0 || !usage)
      throw new Error(
        `the worker exited with ${String(code)} and ${usage ? 'a' : 'no'} usage line`,
      );
    const { totals, usage: meter } = usage as unknown as Usage;
    const window = drainWindow(worker.batches);
    const seconds = (window.endedAt - window.startedAt) / 1000;
    return {
      messages: MESSAGES,
      bytesPerMessage: Math.round(bytes / MESSAGES),
      consumers: CONSUMERS,
      batchSize: BATCH_SIZE,
      channels: CHANNELS,
      drainSeconds: Number(seconds.toFixed(2)),
      messagesPerSecond: Math.round(MESSAGES / seconds),
      dynamoWriteUnitsPerMessage: Number((meter.dynamoWriteUnits / MESSAGES).toFixed(3)),
      sqsRequestsPerMessage: Number((sum(meter.requests.sqs) / MESSAGES).toFixed(3)),
      snsRequestsPerMessage: Number((sum(meter.requests.sns) / MESSAGES).toFixed(4)),
      requests: meter.requests,
      totals,
    };
  } finally {
    await Promise.allSettled(
      [queues.queueUrl, queues.dlqUrl].map((url) =>
        sqs.send(new DeleteQueueCommand({ QueueUrl: url })),
      ),
    );
    await pool.end();
    sqs.destroy();
  }
}

async function main(): Promise<void> {
  const stack = await target();
  try {
    const result = await run(stack);
    console.log(`\n${JSON.stringify(result, null, 2)}`);
    console.log(
      `\ndrain ${String(result.messagesPerSecond)} msg/s · DynamoDB ${String(result.dynamoWriteUnitsPerMessage)} WCU/msg · SQS ${String(result.sqsRequestsPerMessage)} req/msg`,
    );
    const out = resolve(WORKSPACE, 'reports/bench/worker-drain-bench.json');
    await mkdir(resolve(out, '..'), { recursive: true });
    await writeFile(out, JSON.stringify(result, null, 2));
    console.log(`written to ${out}`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
