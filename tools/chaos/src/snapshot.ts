import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { channelStatsKey, messageStatusKey } from '@herald/metadata';
import type { Harness } from './harness';
import type { Ledger } from './producer';
import type { StoreSnapshot } from './verdict';

/** Visible + in flight + delayed messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes ?? {}).reduce((sum, value) => sum + Number(value), 0);
}

export async function storedCount(h: Harness, tenant: string): Promise<number> {
  const { rows } = await h.pool.query<{ n: string }>(
    'select count(*) as n from messages where tenant = $1',
    [tenant],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Waits (bounded) until every acknowledged id of the ledger is in PostgreSQL, the queue is
 * empty and every channel of the tenant is copied to DynamoDB; returns the time that took, or undefined on timeout (the verdict then names the ids).
 */
export async function settle(
  h: Harness,
  ledger: Ledger,
  timeoutMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  const ids = [...ledger.acknowledged.keys()];
  for (;;) {
    const done = await (async () => {
      if ((await queueDepth(h.sqs, h.stack.queueUrl)) !== 0) return false;
      const { rows } = await h.pool.query<{ n: string }>(
        'select count(*) as n from messages where id = any($1::uuid[])',
        [ids],
      );
      if (Number(rows[0]?.n ?? 0) !== ids.length) return false;
      // The worker's channel flusher copies channel totals to DynamoDB within CHANNEL_FLUSH_MS
      // of the last batch (docs/invariants.md#3): settled once no channel is left ahead.
      const ahead = await h.pool.query<{ n: string }>(
        'select count(*) as n from channel_stats where tenant = $1 and message_count > synced_count',
        [ledger.tenant],
      );
      return Number(ahead.rows[0]?.n ?? 0) === 0;
    })().catch(() => false);
    if (done) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return undefined;
    await sleep(250);
  }
}

/** Reads PostgreSQL, DynamoDB, the mailbox and the DLQ for one tenant. */
export async function snapshot(
  h: Harness,
  ledger: Ledger,
  dlqBefore: number,
): Promise<StoreSnapshot> {
  const { rows } = await h.pool.query<{ id: string; seq: string | null }>(
    "select id, body->>'seq' as seq from messages where tenant = $1",
    [ledger.tenant],
  );
  const statuses = new Map<string, string | undefined>();
  const ids = [...ledger.acknowledged.keys()];
  for (let start = 0; start < ids.length; start += 100) {
    let keys: Record<string, unknown>[] = ids
      .slice(start, start + 100)
      .map((id) => ({ ...messageStatusKey(ledger.tenant, id) }));
    while (keys.length > 0) {
      const output = await h.dynamo.send(
        new BatchGetCommand({
          RequestItems: { [h.stack.metadataTable]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      for (const item of output.Responses?.[h.stack.metadataTable] ?? [])
        statuses.set(String(item.id), item.status as string | undefined);
      keys = (output.UnprocessedKeys?.[h.stack.metadataTable]?.Keys ?? []) as Record<
        string,
        unknown
      >[];
    }
  }
  const { rows: stats } = await h.pool.query<{
    channel: string;
    counted: string;
    message_count: string;
    last_message_at: Date;
  }>(
    `select s.channel, (select count(*) from messages m where m.tenant = s.tenant and m.channel = s.channel) as counted,
            s.message_count, s.last_message_at
       from channel_stats s where s.tenant = $1 order by s.channel`,
    [ledger.tenant],
  );
  const channels = [];
  for (const row of stats) {
    const { Item } = await h.dynamo.send(
      new GetCommand({
        TableName: h.stack.metadataTable,
        Key: channelStatsKey(ledger.tenant, row.channel),
        ConsistentRead: true,
      }),
    );
    channels.push({
      channel: row.channel,
      counted: Number(row.counted),
      pgCount: Number(row.message_count),
      pgLast: row.last_message_at.toISOString(),
      dynamoCount: Item?.messageCount as number | undefined,
      dynamoLast: Item?.lastMessageAt as string | undefined,
    });
  }
  return {
    rows,
    statuses,
    channels,
    alerted: await alertedIds(h),
    deadLettered: (await queueDepth(h.sqs, h.stack.dlqUrl)) - dlqBefore,
  };
}

interface MailboxEntry {
  readonly subject: string;
  readonly body: string;
}

export async function mailbox(h: Harness, topicArn: string): Promise<MailboxEntry[]> {
  const response = await fetch(
    `${h.stack.awsEndpoint}/_herald/mailbox?topic=${encodeURIComponent(topicArn)}`,
  );
  return ((await response.json()) as { messages: MailboxEntry[] }).messages;
}

async function alertedIds(h: Harness): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const entry of await mailbox(h, h.stack.alertsTopicArn)) {
    try {
      const payload = JSON.parse(entry.body) as { messageId?: unknown };
      if (typeof payload.messageId === 'string') ids.add(payload.messageId);
    } catch {
      // Not an alert payload: nothing to count.
    }
  }
  return ids;
}
