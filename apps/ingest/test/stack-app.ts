import '@herald/testing';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import type { Envelope } from '@herald/contracts';
import { createDatabase, createPool, findActiveKeyByHash } from '@herald/db';
import type { StackInfo } from '@herald/testing';
import { createApp } from '../src/app';
import { CachedApiKeyVerifier } from '../src/auth/cached-api-key-verifier';
import type { AppDeps } from '../src/deps';
import { DynamoDbIdempotencyStore } from '../src/idempotency/dynamodb-idempotency-store';
import { Lifecycle } from '../src/lifecycle';
import { PostgresMessageReader } from '../src/messages/postgres-message-reader';
import { IngestMetrics } from '../src/metrics';
import { SqsMessageQueue } from '../src/queue/sqs-message-queue';
import type { RateLimiter } from '../src/rate-limit/rate-limiter';
import { TokenBucketRateLimiter } from '../src/rate-limit/token-bucket';
import { dependencyChecks } from '../src/readiness/dependency-checks';
import { CachedReadiness } from '../src/readiness/readiness';
import { DynamoDbMessageStatusStore } from '../src/status/dynamodb-message-status-store';
import { captureLogger } from './fakes';

export interface StackApp {
  readonly app: ReturnType<typeof createApp>;
  readonly deps: AppDeps;
  readonly metrics: IngestMetrics;
  readonly lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The ingest app over the real local stack, wired as main.ts wires it (its own clients, pool and
 * batcher), connecting to PostgreSQL with the ingest's read-only role.
 */
export function stackApp(
  stack: StackInfo,
  options: { keyCacheTtlMs?: number; authFailures?: RateLimiter } = {},
): StackApp {
  // Few SDK retries and a short timeout: tests stop the AWS edge on purpose.
  const aws = {
    region: stack.region,
    endpoint: stack.awsEndpoint,
    requestTimeoutMs: 3_000,
    maxAttempts: 2,
  };
  const sqs = createSqsClient({ ...aws, fastPath: true });
  const dynamodb = createDynamoDbDocumentClient(aws);
  const pool = createPool({
    connectionString: stack.readerDatabaseUrl,
    max: 4,
    connectionTimeoutMs: 2_000,
  });
  const db = createDatabase(pool);
  const metrics = new IngestMetrics();
  const { logger, lines } = captureLogger();
  const queue = new SqsMessageQueue({
    client: sqs,
    queueUrl: stack.queueUrl,
    lingerMs: 5,
    metrics,
    logger,
  });
  const deps: AppDeps = {
    logger,
    queue,
    lifecycle: new Lifecycle(),
    retryAfterSeconds: 2,
    keys: new CachedApiKeyVerifier({
      lookup: (hash) => findActiveKeyByHash(db, hash),
      ttlMs: options.keyCacheTtlMs ?? 30_000,
      negativeTtlMs: 0,
      maxEntries: 100,
    }),
    idempotency: new DynamoDbIdempotencyStore({ client: dynamodb, tableName: stack.metadataTable }),
    statuses: new DynamoDbMessageStatusStore(dynamodb, stack.metadataTable),
    messages: new PostgresMessageReader(db),
    rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 10_000, burst: 10_000 }),
    authFailures:
      options.authFailures ?? new TokenBucketRateLimiter({ ratePerSecond: 20, burst: 20 }),
    trustedProxyHops: 0,
    readiness: new CachedReadiness(
      dependencyChecks({
        pool,
        sqs,
        dynamodb,
        queueUrl: stack.queueUrl,
        metadataTable: stack.metadataTable,
      }),
      { cacheMs: 0, timeoutMs: 2_000 },
    ),
  };
  return {
    app: createApp(deps),
    deps,
    metrics,
    lines,
    close: async () => {
      await queue.close();
      sqs.destroy();
      dynamodb.destroy();
      await pool.end();
    },
  };
}

/** A plain SQS client on the stack, for the test's own receives. */
export function stackSqs(stack: StackInfo): SQSClient {
  return createSqsClient({ region: stack.region, endpoint: stack.awsEndpoint });
}

/**
 * Receives (and deletes) the queue messages whose envelope id is in `ids`, leaving others
 * visible at once for other tests. Resolves with the envelopes found before `timeoutMs`.
 */
export async function receiveEnvelopes(
  sqs: SQSClient,
  queueUrl: string,
  ids: readonly string[],
  timeoutMs = 10_000,
): Promise<Map<string, { envelope: Envelope; attributes: Record<string, string | undefined> }>> {
  const wanted = new Set(ids);
  const found = new Map<
    string,
    { envelope: Envelope; attributes: Record<string, string | undefined> }
  >();
  const deadline = Date.now() + timeoutMs;
  while (found.size < wanted.size && Date.now() < deadline) {
    const output = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const mine = (output.Messages ?? []).flatMap((message) => {
      const envelope = JSON.parse(message.Body ?? '{}') as Envelope;
      return wanted.has(envelope.id) ? [{ message, envelope }] : [];
    });
    for (const { message, envelope } of mine) {
      found.set(envelope.id, {
        envelope,
        attributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            value.StringValue,
          ]),
        ),
      });
    }
    if (mine.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: mine.map(({ message }, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  }
  return found;
}
