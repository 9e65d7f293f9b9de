/** Integration-test support: what PostgreSQL, DynamoDB and the SNS mailbox hold. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createPool } from '@herald/db';
import { channelStatsKey, messageStatusKey } from '@herald/metadata';
import type { StackInfo } from '@herald/testing';
import type pg from 'pg';
import { queueDepth, waitUntil } from './stack-queues';

export function ownerPool(stack: StackInfo): pg.Pool {
  return createPool({ connectionString: stack.databaseUrl, max: 2 });
}

export async function storedIds(pool: pg.Pool, tenant: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('select id from messages where tenant = $1', [
    tenant,
  ]);
  return rows.map((row) => row.id);
}

/**
 * Waits until the tenant has `count` messages in PostgreSQL, then until the queue is empty
 * (every delete done): the point where a worker run has finished and the stores can be judged.
 */
export async function untilStoredAndDrained(
  { pool, sqs, queueUrl }: { pool: pg.Pool; sqs: SQSClient; queueUrl: string },
  tenant: string,
  count: number,
  timeoutsMs: { store: number; drain: number } = { store: 60_000, drain: 20_000 },
): Promise<void> {
  await waitUntil(
    'every message stored',
    async () => (await storedIds(pool, tenant)).length === count,
    timeoutsMs.store,
  );
  await waitUntil(
    'the queue to drain',
    async () => (await queueDepth(sqs, queueUrl)) === 0,
    timeoutsMs.drain,
  );
}

export interface ChannelCount {
  channel: string;
  counted: number;
  messageCount: number;
  lastMessageAt: string;
}

/** channel_stats beside the real count(*) of each channel of a tenant. */
export async function channelCounts(pool: pg.Pool, tenant: string): Promise<ChannelCount[]> {
  const { rows } = await pool.query<{
    channel: string;
    counted: string;
    message_count: string;
    last_message_at: Date;
  }>(
    `select s.channel, (select count(*) from messages m where m.tenant = s.tenant and m.channel = s.channel) as counted,
            s.message_count, s.last_message_at
       from channel_stats s where s.tenant = $1 order by s.channel`,
    [tenant],
  );
  return rows.map((row) => ({
    channel: row.channel,
    counted: Number(row.counted),
    messageCount: Number(row.message_count),
    lastMessageAt: row.last_message_at.toISOString(),
  }));
}

export async function statusItem(
  dynamo: DynamoDBDocumentClient,
  table: string,
  tenant: string,
  id: string,
) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: messageStatusKey(tenant, id), ConsistentRead: true }),
  );
  return Item;
}

/** Status items of many ids (BatchGetItem, 100 keys a call). */
export async function statusItems(
  dynamo: DynamoDBDocumentClient,
  table: string,
  tenant: string,
  ids: readonly string[],
) {
  const items = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < ids.length; start += 100) {
    let keys: Record<string, unknown>[] = ids
      .slice(start, start + 100)
      .map((id) => ({ ...messageStatusKey(tenant, id) }));
    while (keys.length > 0) {
      const output = await dynamo.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of output.Responses?.[table] ?? []) items.set(String(item.id), item);
      keys = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}

export async function channelItem(
  dynamo: DynamoDBDocumentClient,
  table: string,
  tenant: string,
  channel: string,
) {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: table,
      Key: channelStatsKey(tenant, channel),
      ConsistentRead: true,
    }),
  );
  return Item;
}

interface MailboxEntry {
  readonly topicArn: string;
  readonly subject: string;
  readonly body: string;
}

/** Alerts the local SNS delivered to the email subscription of the alerts topic. */
export async function mailboxAlerts(
  stack: StackInfo,
): Promise<{ subject: string; payload: Record<string, unknown> }[]> {
  const response = await fetch(
    `${stack.awsEndpoint}/_herald/mailbox?topic=${encodeURIComponent(stack.alertsTopicArn)}`,
  );
  const { messages } = (await response.json()) as { messages: MailboxEntry[] };
  return messages.flatMap((message) => {
    try {
      return [
        { subject: message.subject, payload: JSON.parse(message.body) as Record<string, unknown> },
      ];
    } catch {
      return [];
    }
  });
}

/**
 * Waits until DynamoDB's channel item of every channel of the tenant copies PostgreSQL's
 * channel_stats (count and last time): the channel flusher runs every CHANNEL_FLUSH_MS after the
 * last batch (docs/invariants.md#3). Bounded; the caller then asserts the copies.
 */
export async function untilChannelsCopied(
  { pool, dynamo, table }: { pool: pg.Pool; dynamo: DynamoDBDocumentClient; table: string },
  tenant: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitUntil(
    "DynamoDB's channel items to copy channel_stats",
    async () => {
      for (const row of await channelCounts(pool, tenant)) {
        const item = await channelItem(dynamo, table, tenant, row.channel);
        if (item?.messageCount !== row.messageCount || item.lastMessageAt !== row.lastMessageAt)
          return false;
      }
      return true;
    },
    timeoutMs,
  );
}
