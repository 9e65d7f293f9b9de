import { controlStack } from '@herald/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { envelope } from '../test/fakes';
import {
  channelCounts,
  channelItem,
  clientsFor,
  createQueues,
  deleteQueues,
  type InProcessWorker,
  ownerPool,
  queueDepth,
  sendAll,
  startWorker,
  statusItems,
  storedIds,
  type TestQueues,
  uniqueName,
  untilChannelsCopied,
  untilStoredAndDrained,
  waitUntil,
} from '../test/stack';

const OUTAGE_MS = 12_000;

const stack = inject('stack');
const clients = clientsFor(stack);
let queues: TestQueues;
let running: InProcessWorker | undefined;

beforeAll(async () => {
  queues = await createQueues(clients.sqs, uniqueName('outage-int'), {
    visibilityTimeoutSeconds: 2,
    maxReceiveCount: 4,
  });
});

let postgresStopped = false;

afterEach(async () => {
  // A failed test must not leave the shared stack without its database.
  if (postgresStopped) await controlStack(stack, 'postgres', 'start');
  postgresStopped = false;
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await deleteQueues(clients.sqs, queues);
  for (const client of Object.values(clients)) client.destroy();
});

describe('PostgreSQL outage', () => {
  it(
    'loses nothing and dead-letters nothing when PostgreSQL stops mid-run and comes back',
    { timeout: 90_000 },
    async () => {
      const tenant = uniqueName('outage');
      const values = Array.from({ length: 1_000 }, (_, index) =>
        envelope({ tenant, channel: `c${index % 4}` }),
      );
      await sendAll(clients.sqs, queues.queueUrl, values);
      running = startWorker(stack, queues, {
        visibilityTimeoutSeconds: 2,
        heartbeatSeconds: 1,
        // Production steps are 1–15 s; shorter ones keep the test quick and still bound the churn.
        outageBackoffMs: [250, 500, 1_000, 2_000],
      });
      const worker = running;
      const pool = ownerPool(stack);
      try {
        await waitUntil(
          'the first messages',
          async () => (await storedIds(pool, tenant)).length > 0,
          10_000,
        );
        const storedBefore = (await storedIds(pool, tenant)).length;
        postgresStopped = true;
        await controlStack(stack, 'postgres', 'stop');
        const stoppedAt = Date.now();
        // The outage must hit a run in progress, or the test proves nothing.
        expect(storedBefore).toBeLessThan(values.length / 2);
        // Longer than maxReceiveCount × visibility timeout: without the outage backoff, the
        // consumers would churn through the queue and dead-letter healthy messages.
        await waitUntil(
          'failed batches',
          () =>
            Promise.resolve(
              worker.lines.some(
                (line) => line.msg === 'message store failed; leaving the batch for redelivery',
              ),
            ),
          10_000,
        );
        await new Promise((done) =>
          setTimeout(done, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))),
        );
        await controlStack(stack, 'postgres', 'start');
        postgresStopped = false;
        await untilStoredAndDrained(
          { pool, sqs: clients.sqs, queueUrl: queues.queueUrl },
          tenant,
          values.length,
        );

        expect(await queueDepth(clients.sqs, queues.dlqUrl)).toBe(0);
        const counts = await channelCounts(pool, tenant);
        expect(counts.map((row) => row.messageCount)).toEqual([250, 250, 250, 250]);
        await untilChannelsCopied(
          { pool, dynamo: clients.dynamo, table: stack.metadataTable },
          tenant,
        );
        for (const row of counts) {
          expect(row.counted).toBe(row.messageCount);
          expect(
            (await channelItem(clients.dynamo, stack.metadataTable, tenant, row.channel))
              ?.messageCount,
          ).toBe(row.messageCount);
        }
        const statuses = await statusItems(
          clients.dynamo,
          stack.metadataTable,
          tenant,
          values.map((value) => value.id),
        );
        expect([...statuses.values()].filter((item) => item.status === 'stored')).toHaveLength(
          values.length,
        );
        // Every connection the outage broke came back to the pool or was destroyed: none leaked
        // (a leaked one shrinks the pool for good and makes pool.end() hang at shutdown).
        expect(await worker.worker.drain(Date.now() + 10_000)).toBe(true);
        expect(worker.pool.totalCount - worker.pool.idleCount).toBe(0);
      } finally {
        await pool.end();
      }
    },
  );
});
