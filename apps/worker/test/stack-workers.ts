/**
 * Integration-test support: the worker in this process (wired as main.ts wires it) and as a
 * child process (`node --import tsx src/main.ts`) for signal tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInterface } from 'node:readline';
import { createDatabase, createPool } from '@herald/db';
import type { StackInfo } from '@herald/testing';
import type pg from 'pg';
import { DynamoDbMetadataStore } from '../src/metadata/dynamodb-metadata-store';
import { PostgresChannelSync } from '../src/store/postgres-channel-sync';
import { PostgresMessageStore } from '../src/store/postgres-message-store';
import { SnsAlertPublisher } from '../src/alerts/sns-alert-publisher';
import { auditBatchEntries } from '../src/metrics/sqs-batch-audit';
import { createWorker, type Worker, type WorkerOptions } from '../src/worker';
import { captureLogger } from './fakes';
import { clientsFor, type TestQueues } from './stack-queues';

export const MAIN = resolve(import.meta.dirname, '../src/main.ts');

export const TEST_WORKER_OPTIONS = {
  consumers: 2,
  batchSize: 10,
  visibilityTimeoutSeconds: 5,
  heartbeatSeconds: 2,
  waitTimeSeconds: 1,
  batchTimeoutSeconds: 10,
  healthStallSeconds: 60,
  dlqObserveSeconds: 0,
  channelFlushMs: 200,
} as const;

export interface InProcessWorker {
  readonly worker: Worker;
  readonly pool: pg.Pool;
  readonly lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The worker of main.ts, in this process, against the real stack (writer role). */
export function startWorker(
  stack: StackInfo,
  queues: TestQueues,
  options: Partial<WorkerOptions> = {},
  level: 'debug' | 'info' | 'warn' = 'warn',
): InProcessWorker {
  const { logger, lines } = captureLogger(level);
  const clients = clientsFor(stack);
  auditBatchEntries(clients.sqs, logger);
  const pool = createPool({
    connectionString: stack.writerDatabaseUrl,
    max: 4,
    connectionTimeoutMs: 2_000,
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
      sqs: clients.sqs,
      store: new PostgresMessageStore(db),
      channels: new PostgresChannelSync(db),
      metadata: new DynamoDbMetadataStore(clients.dynamo, stack.metadataTable),
      alerts: new SnsAlertPublisher(clients.sns, stack.alertsTopicArn),
      logger,
    },
    { ...TEST_WORKER_OPTIONS, queueUrl: queues.queueUrl, ...options },
  );
  worker.start();
  return {
    worker,
    pool,
    lines,
    async stop() {
      await worker.drain(Date.now() + 10_000);
      for (const client of Object.values(clients)) client.destroy();
      // pool.end() waits for every checked-out connection: a leaked one would hang it forever.
      const checkedOut = pool.totalCount - pool.idleCount;
      const ended = await Promise.race([
        pool.end().then(() => true),
        sleep(5_000).then(() => false),
      ]);
      if (!ended) {
        throw new Error(
          `the worker's pool did not end: ${String(checkedOut)} connection(s) never released`,
        );
      }
    },
  };
}

/** The environment the launcher and ECS give the worker (main.ts reads exactly these). */
export function workerEnv(
  stack: StackInfo,
  queues: TestQueues,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    QUEUE_URL: queues.queueUrl,
    DLQ_URL: queues.dlqUrl,
    METADATA_TABLE: stack.metadataTable,
    ALERTS_TOPIC_ARN: stack.alertsTopicArn,
    DATABASE_URL: stack.writerDatabaseUrl,
    HOST: '127.0.0.1',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
    CONSUMERS: '2',
    VISIBILITY_TIMEOUT_SECONDS: '5',
    HEARTBEAT_SECONDS: '2',
    WAIT_TIME_SECONDS: '1',
    CHANNEL_FLUSH_MS: '200',
    ...extra,
  };
}

export interface ChildWorker {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the worker logged that it polls (LOG_LEVEL info or lower); rejects if it exits first. */
  readonly started: Promise<void>;
}

/** `node --import tsx apps/worker/src/main.ts`, as the local-stack launcher runs it. */
export function spawnWorker(env: NodeJS.ProcessEnv): ChildWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let onStarted: () => void = () => undefined;
  let onExit: (error: Error) => void = () => undefined;
  const started = new Promise<void>((done, fail) => {
    onStarted = done;
    onExit = fail;
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (line.includes('"worker started"')) onStarted();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      onExit(
        new Error(
          `worker exited (${String(code ?? signal)}) before starting:\n${lines.slice(-20).join('\n')}`,
        ),
      );
      done({ code, signal });
    });
  });
  return { child, lines, exited, started };
}
