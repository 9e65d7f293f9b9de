import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import { createDatabase, createPool, ensureApiKey } from '@herald/db';
import { freePort, startAlarmWatcher, startStack, type LocalStack } from '@herald/local-stack';
import type pg from 'pg';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { ManagedService } from './managed-service';

/** The worker settings of a chaos run: short visibility so a SIGKILL's messages come back soon. */
export const CHAOS_WORKER_ENV = {
  CONSUMERS: '4',
  VISIBILITY_TIMEOUT_SECONDS: '3',
  HEARTBEAT_SECONDS: '1',
  WAIT_TIME_SECONDS: '1',
  DLQ_OBSERVE_SECONDS: '2',
  LOG_LEVEL: 'info',
} as const;
/** Seconds per evaluation period of the local alarms (production: 60). */
export const ALARM_PERIOD_SECONDS = 2;

export interface Harness {
  readonly stack: LocalStack;
  /** What the services use as AWS_ENDPOINT_URL; the suite itself talks to the edge directly. */
  readonly proxy: FaultProxy;
  readonly ingestUrl: string;
  readonly ingest: ManagedService;
  readonly worker: ManagedService;
  /** PostgreSQL owner role: assertions, constraints, keys. */
  readonly pool: pg.Pool;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBDocumentClient;
  /** A fresh write+read key of `tenant`. */
  keyFor(tenant: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a private local stack (temp data dir, free loopback ports), the fault proxy, the local
 * alarms, and the production ingest and worker, exactly as `npm start` runs them.
 */
export async function startHarness(
  workspaceRoot: string,
  say: (line: string) => void,
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-chaos-'));
  const stack = await startStack({ dataDir, fast: true, nameSuffix: 'chaos' });
  const closers: (() => Promise<unknown>)[] = [
    () => stack.stop(),
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  try {
    const proxy = await startFaultProxy(stack.awsEndpoint);
    closers.unshift(() => proxy.close());
    const watcher = startAlarmWatcher({
      ...stack,
      endpoint: stack.awsEndpoint,
      periodSeconds: ALARM_PERIOD_SECONDS,
      notify: (line) => {
        say(`alarm: ${line}`);
      },
    });
    closers.unshift(() => {
      watcher.stop();
      return Promise.resolve();
    });
    const aws = { region: stack.region, endpoint: stack.awsEndpoint };
    const sqs = createSqsClient({ ...aws, requestTimeoutMs: 30_000 });
    const dynamo = createDynamoDbDocumentClient(aws);
    const pool = createPool({ connectionString: stack.databaseUrl, max: 4 });
    closers.unshift(async () => {
      sqs.destroy();
      dynamo.destroy();
      await pool.end();
    });
    const common = {
      AWS_REGION: stack.region,
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      QUEUE_URL: stack.queueUrl,
      DLQ_URL: stack.dlqUrl,
      METADATA_TABLE: stack.metadataTable,
      ALERTS_TOPIC_ARN: stack.alertsTopicArn,
      HOST: '127.0.0.1',
    };
    const ingestPort = await freePort();
    const ingestUrl = `http://127.0.0.1:${ingestPort}`;
    const ingest = new ManagedService(
      'ingest',
      workspaceRoot,
      dataDir,
      {
        name: 'ingest',
        entry: 'apps/ingest/src/main.ts',
        env: {
          ...common,
          PORT: String(ingestPort),
          DATABASE_URL: stack.readerDatabaseUrl,
          LOG_LEVEL: 'warn',
          // No load balancer drains this ingest: stop at once on SIGTERM.
          SHUTDOWN_DELAY_MS: '0',
        },
      },
      { url: `${ingestUrl}/readyz` },
    );
    const worker = new ManagedService(
      'worker',
      workspaceRoot,
      dataDir,
      {
        name: 'worker',
        entry: 'apps/worker/src/main.ts',
        env: {
          ...common,
          ...CHAOS_WORKER_ENV,
          HEALTH_PORT: String(await freePort()),
          DATABASE_URL: stack.writerDatabaseUrl,
        },
      },
      { line: '"worker started"' },
    );
    closers.unshift(() => Promise.all([ingest.stop(), worker.stop()]));
    await Promise.all([ingest.start(), worker.start()]);
    return {
      stack,
      proxy,
      ingestUrl,
      ingest,
      worker,
      pool,
      sqs,
      dynamo,
      keyFor: async (tenant) => {
        const secret = `hk_chaos_${randomBytes(24).toString('base64url')}`;
        await ensureApiKey(createDatabase(pool), {
          tenant,
          name: 'chaos',
          scopes: ['messages:write', 'messages:read'],
          secret,
        });
        return secret;
      },
      close: () => runClosers(closers),
    };
  } catch (error) {
    await runClosers(closers);
    throw error;
  }
}

async function runClosers(closers: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const close of closers) await close().catch(() => undefined);
}
