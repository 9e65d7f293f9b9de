import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createDatabase } from '@herald/db';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  inject,
  it,
  onTestFinished,
} from 'vitest';
import { captureLogger, envelope } from '../test/fakes';
import {
  channelCounts,
  channelItem,
  clientsFor,
  createQueues,
  deleteQueues,
  type InProcessWorker,
  mailboxAlerts,
  ownerPool,
  queueDepth,
  sendAll,
  startWorker,
  statusItem,
  statusItems,
  storedIds,
  type TestQueues,
  uniqueName,
  untilChannelsCopied,
  visibleCount,
  waitUntil,
} from '../test/stack';
import { DynamoDbMetadataStore } from './metadata/dynamodb-metadata-store';
import { PostgresMessageStore } from './store/postgres-message-store';
import { SnsAlertPublisher } from './alerts/sns-alert-publisher';
import { createBatchHandler } from './consume/batch-handler';

const stack = inject('stack');
const clients = clientsFor(stack);
const pool = ownerPool(stack);
let queues: TestQueues;
let running: InProcessWorker | undefined;

beforeAll(async () => {
  queues = await createQueues(clients.sqs, uniqueName('worker-int'), {
    visibilityTimeoutSeconds: 2,
    maxReceiveCount: 3,
  });
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await deleteQueues(clients.sqs, queues);
  await pool.end();
  for (const client of Object.values(clients)) client.destroy();
});

const drained = () => queueDepth(clients.sqs, queues.queueUrl).then((depth) => depth === 0);

/**
 * PostgreSQL's channel_stats equal the real counts, and DynamoDB's channel items copy them once
 * the channel flusher ran.
 */
async function expectConvergedChannels(
  tenant: string,
  expected: Record<string, number>,
): Promise<void> {
  const counts = await channelCounts(pool, tenant);
  expect(Object.fromEntries(counts.map((row) => [row.channel, row.messageCount]))).toEqual(
    expected,
  );
  await untilChannelsCopied({ pool, dynamo: clients.dynamo, table: stack.metadataTable }, tenant);
  for (const row of counts) {
    expect(row.messageCount).toBe(row.counted);
    const item = await channelItem(clients.dynamo, stack.metadataTable, tenant, row.channel);
    expect(item).toMatchObject({
      messageCount: row.messageCount,
      lastMessageAt: row.lastMessageAt,
    });
  }
}

/** Processes one receive with the real handler and never deletes: the process "died" right after. */
async function processWithoutDeleting(maxMessages: number): Promise<number> {
  const { Messages = [] } = await clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queues.queueUrl,
      MaxNumberOfMessages: maxMessages,
      WaitTimeSeconds: 1,
    }),
  );
  const handle = createBatchHandler({
    store: new PostgresMessageStore(createDatabase(pool)),
    metadata: new DynamoDbMetadataStore(clients.dynamo, stack.metadataTable),
    alerts: new SnsAlertPublisher(clients.sns, stack.alertsTopicArn),
    logger: captureLogger('warn').logger,
    clock: Date.now,
    batchTimeoutMs: 10_000,
  });
  return (await handle(Messages)).length;
}

describe('worker against the local stack', () => {
  it('stores a message delivered twice exactly once (invariant 2)', async () => {
    const tenant = uniqueName('dup');
    const values = Array.from({ length: 20 }, (_, index) =>
      envelope({ tenant, channel: index % 2 ? 'odd' : 'even' }),
    );
    await sendAll(clients.sqs, queues.queueUrl, [...values, ...values.slice(0, 5)]);
    running = startWorker(stack, queues);
    await waitUntil('the queue to drain', drained, 30_000);

    expect((await storedIds(pool, tenant)).sort()).toEqual(values.map((value) => value.id).sort());
    await expectConvergedChannels(tenant, { even: 10, odd: 10 });
    const statuses = await statusItems(
      clients.dynamo,
      stack.metadataTable,
      tenant,
      values.map((value) => value.id),
    );
    expect([...statuses.values()].map((item) => item.status)).toEqual(Array(20).fill('stored'));
  });

  it('heals PostgreSQL and DynamoDB after crashes before the delete and between the two stores (invariant 3)', async () => {
    const tenant = uniqueName('crash');
    const processed = Array.from({ length: 10 }, () => envelope({ tenant, channel: 'a' }));
    await sendAll(clients.sqs, queues.queueUrl, processed);
    // Crash 1: the batch was fully handled but never deleted.
    await waitUntil(
      'one full receive',
      async () => (await processWithoutDeleting(10)) === 10,
      10_000,
    );
    // Crash 2: PostgreSQL committed, the process died before writing DynamoDB.
    const halfDone = Array.from({ length: 10 }, () => envelope({ tenant, channel: 'b' }));
    await new PostgresMessageStore(createDatabase(pool)).store(halfDone);
    expect(await channelItem(clients.dynamo, stack.metadataTable, tenant, 'b')).toBeUndefined();
    await sendAll(clients.sqs, queues.queueUrl, halfDone);

    running = startWorker(stack, queues);
    await waitUntil('the queue to drain', drained, 30_000);
    const all = [...processed, ...halfDone].map((value) => value.id);
    expect((await storedIds(pool, tenant)).sort()).toEqual([...all].sort());
    await expectConvergedChannels(tenant, { a: 10, b: 10 });
    const statuses = await statusItems(clients.dynamo, stack.metadataTable, tenant, all);
    expect(statuses.size).toBe(20);
    expect([...statuses.values()].every((item) => item.status === 'stored')).toBe(true);
  });

  it('alerts every critical message exactly once despite redelivery, and rejects bad envelopes loudly (invariant 4)', async () => {
    const tenant = uniqueName('alert');
    const critical = Array.from({ length: 4 }, (_, index) =>
      envelope({ tenant, priority: 'critical', body: `fire ${index}` }),
    );
    const normal = Array.from({ length: 2 }, () => envelope({ tenant }));
    const bad = { ...envelope({ tenant }), v: 2 };
    await sendAll(clients.sqs, queues.queueUrl, [...critical, ...normal, JSON.stringify(bad)]);
    // Alerts sent, the delete never happened: the redelivery must not alert again.
    await waitUntil(
      'one receive handled',
      async () => (await processWithoutDeleting(3)) > 0,
      10_000,
    );
    await sendAll(clients.sqs, queues.queueUrl, critical);
    // One consumer: two copies of one id never race each other to the first alert.
    running = startWorker(stack, queues, { consumers: 1 });
    await waitUntil('the queue to drain', drained, 30_000);

    const ids = new Set([...critical, ...normal].map((value) => value.id).concat(bad.id));
    const mine = async () =>
      (await mailboxAlerts(stack)).filter((alert) => ids.has(String(alert.payload.messageId)));
    await waitUntil('5 alerts in the mailbox', async () => (await mine()).length >= 5, 10_000);
    await new Promise((done) => setTimeout(done, 500));
    const alerts = await mine();
    for (const value of critical) {
      const sent = alerts.filter((alert) => alert.payload.messageId === value.id);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        subject: `Herald: critical message in ${tenant}/orders`,
        payload: { kind: 'critical_message', tenant, preview: value.body },
      });
      expect(await statusItem(clients.dynamo, stack.metadataTable, tenant, value.id)).toMatchObject(
        { status: 'stored', alerted: true },
      );
    }
    expect(alerts.filter((alert) => alert.payload.kind === 'message_rejected')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          messageId: bad.id,
          reason: 'unknown_version: unknown envelope version 2',
        }) as unknown,
      }),
    ]);
    expect(await statusItem(clients.dynamo, stack.metadataTable, tenant, bad.id)).toMatchObject({
      status: 'rejected',
      alerted: true,
    });
    expect(await queueDepth(clients.sqs, queues.dlqUrl)).toBe(0);
  });

  it('dead-letters a poison message after maxReceiveCount without blocking the others (invariant 5)', async () => {
    const tenant = uniqueName('poison');
    // A valid envelope that PostgreSQL refuses on every delivery: a CHECK constraint (SQLSTATE
    // 23514) on one channel stands in for any row-level refusal.
    const poisonChannel = uniqueName('poison-channel');
    await pool.query(
      `alter table messages add constraint poison_test_check check (channel <> '${poisonChannel}') not valid`,
    );
    onTestFinished(async () => {
      await pool.query('alter table messages drop constraint if exists poison_test_check');
    });
    const poison = envelope({ tenant, channel: poisonChannel });
    const good = Array.from({ length: 9 }, () => envelope({ tenant }));
    await sendAll(clients.sqs, queues.queueUrl, [poison, ...good]);
    running = startWorker(stack, queues, {
      dlqUrl: queues.dlqUrl,
      dlqObserveSeconds: 1,
      visibilityTimeoutSeconds: 2,
      heartbeatSeconds: 1,
    });

    await waitUntil(
      'the 9 good messages',
      async () => (await storedIds(pool, tenant)).length === 9,
      5_000,
    );
    await waitUntil(
      'the poison in the DLQ',
      async () => (await queueDepth(clients.sqs, queues.dlqUrl)) === 1,
      30_000,
    );
    await waitUntil(
      'the dead_lettered status',
      async () =>
        (await statusItem(clients.dynamo, stack.metadataTable, tenant, poison.id))?.status ===
        'dead_lettered',
      10_000,
    );
    expect(await queueDepth(clients.sqs, queues.queueUrl)).toBe(0);
    expect(await storedIds(pool, tenant)).not.toContain(poison.id);
    // The observer never consumes nor hides it: the DLQ alarm still counts the message.
    expect(await visibleCount(clients.sqs, queues.dlqUrl)).toBe(1);
  });
});
