import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ChannelStatsItem,
  channelStatsKey,
  type MessageStatusItem,
  messageStatusKey,
} from '@herald/metadata';
import { isConditionalCheckFailed } from '@herald/aws';
import { MetadataStoreError } from '../errors';
import type { ChannelTotals } from '../store/channel-sync';
import type {
  MetadataStore,
  RejectedStatus,
  StatusKey,
  StatusWriteResult,
  StoredStatus,
} from './metadata-store';

/** DynamoDB accepts at most 25 requests per BatchWriteItem. */
const ITEMS_PER_BATCH_WRITE = 25;
/** Pauses before retrying unprocessed items (throttling): then the messages wait for redelivery. */
const UNPROCESSED_RETRIES_MS = [50, 200, 500] as const;

function storedItem(status: StoredStatus, now: Date): MessageStatusItem {
  return {
    ...messageStatusKey(status.tenant, status.id),
    id: status.id,
    tenant: status.tenant,
    channel: status.channel,
    status: 'stored',
    storedAt: status.storedAt.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * The metadata table (single-table design, keys from @herald/metadata). Every write is one
 * UpdateItem or PutItem on a small item (~250 bytes: one write unit), idempotent by construction:
 * absolute values, `if_not_exists`, or a condition. Nothing needs transactions or TTL.
 */
export class DynamoDbMetadataStore implements MetadataStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** SET, never PUT: an existing `alerted` flag survives, and ALL_OLD tells whether it was there. */
  async markStored(status: StoredStatus, now: Date): Promise<StatusWriteResult> {
    const old = await this.#update(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: messageStatusKey(status.tenant, status.id),
        UpdateExpression:
          'SET #status = :stored, #id = :id, #tenant = :tenant, #channel = :channel, #storedAt = :storedAt, #updatedAt = :now REMOVE #reason',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#id': 'id',
          '#tenant': 'tenant',
          '#channel': 'channel',
          '#storedAt': 'storedAt',
          '#updatedAt': 'updatedAt',
          '#reason': 'reason',
        },
        ExpressionAttributeValues: {
          ':stored': 'stored',
          ':id': status.id,
          ':tenant': status.tenant,
          ':channel': status.channel,
          ':storedAt': status.storedAt.toISOString(),
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { written: true, alreadyAlerted: old?.alerted === true };
  }

  /** BatchWriteItem, 25 items a call; unprocessed items are retried, then reported as failed. */
  async putStored(
    statuses: readonly StoredStatus[],
    now: Date,
  ): Promise<ReadonlyMap<string, string>> {
    const failed = new Map<string, string>();
    const chunks: StoredStatus[][] = [];
    for (let start = 0; start < statuses.length; start += ITEMS_PER_BATCH_WRITE) {
      chunks.push(statuses.slice(start, start + ITEMS_PER_BATCH_WRITE));
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        const items = chunk.map((status): MessageStatusItem => storedItem(status, now));
        for (const [id, reason] of await this.#batchPut(items)) failed.set(id, reason);
      }),
    );
    return failed;
  }

  markRejected(status: RejectedStatus, now: Date): Promise<StatusWriteResult> {
    return this.#markUnsettled('rejected', status, now);
  }

  markDeadLettered(status: RejectedStatus, now: Date): Promise<StatusWriteResult> {
    return this.#markUnsettled('dead_lettered', status, now);
  }

  async markAlerted(key: StatusKey, now: Date): Promise<void> {
    try {
      await this.#update(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: messageStatusKey(key.tenant, key.id),
          UpdateExpression: 'SET #alerted = :true, #alertedAt = if_not_exists(#alertedAt, :now)',
          // Only on an existing status item: never create a stub without a status.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: {
            '#alerted': 'alerted',
            '#alertedAt': 'alertedAt',
            '#pk': 'pk',
          },
          ExpressionAttributeValues: { ':true': true, ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new MetadataStoreError(`no status item for ${key.tenant}/${key.id} to mark alerted`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async putChannelTotals(totals: ChannelTotals, now: Date): Promise<'written' | 'stale'> {
    const item: ChannelStatsItem = {
      ...channelStatsKey(totals.tenant, totals.channel),
      tenant: totals.tenant,
      channel: totals.channel,
      messageCount: totals.messageCount,
      lastMessageAt: totals.lastMessageAt.toISOString(),
      updatedAt: now.toISOString(),
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          // Concurrent consumers copy PostgreSQL at different moments: the higher count is newer.
          ConditionExpression: 'attribute_not_exists(#pk) OR #count <= :count',
          ExpressionAttributeNames: { '#pk': 'pk', '#count': 'messageCount' },
          ExpressionAttributeValues: { ':count': totals.messageCount },
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'stale';
      throw new MetadataStoreError(`writing totals of ${totals.tenant}/${totals.channel} failed`, {
        cause: error,
      });
    }
  }

  /** `rejected` and `dead_lettered` never overwrite `stored`: the message did get through. */
  async #markUnsettled(
    status: 'rejected' | 'dead_lettered',
    entry: RejectedStatus,
    now: Date,
  ): Promise<StatusWriteResult> {
    const channel = entry.channel === undefined ? '' : ', #channel = :channel';
    try {
      const old = await this.#update(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: messageStatusKey(entry.tenant, entry.id),
          UpdateExpression: `SET #status = :status, #id = :id, #tenant = :tenant, #reason = :reason, #updatedAt = :now${channel}`,
          ConditionExpression: 'attribute_not_exists(#pk) OR #status <> :stored',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#status': 'status',
            '#id': 'id',
            '#tenant': 'tenant',
            '#reason': 'reason',
            '#updatedAt': 'updatedAt',
            ...(entry.channel === undefined ? {} : { '#channel': 'channel' }),
          },
          ExpressionAttributeValues: {
            ':status': status,
            ':stored': 'stored',
            ':id': entry.id,
            ':tenant': entry.tenant,
            ':reason': entry.reason,
            ':now': now.toISOString(),
            ...(entry.channel === undefined ? {} : { ':channel': entry.channel }),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { written: true, alreadyAlerted: old?.alerted === true };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { written: false, alreadyAlerted: false };
      throw error;
    }
  }

  /** Returns the ids still unwritten after the retries, with why. */
  async #batchPut(items: readonly MessageStatusItem[]): Promise<Map<string, string>> {
    let pending = items;
    let reason = 'still unprocessed after retries';
    for (let attempt = 0; ; attempt += 1) {
      try {
        const output = await this.#client.send(
          new BatchWriteCommand({
            RequestItems: {
              [this.#tableName]: pending.map((item) => ({ PutRequest: { Item: item } })),
            },
          }),
        );
        const unprocessed = output.UnprocessedItems?.[this.#tableName] ?? [];
        pending = unprocessed.flatMap(
          (request) => (request.PutRequest?.Item as MessageStatusItem | undefined) ?? [],
        );
        reason = 'still unprocessed after retries';
      } catch (error) {
        // The whole call failed: every pending item is retried.
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (pending.length === 0) return new Map();
      const delay = UNPROCESSED_RETRIES_MS[attempt];
      if (delay === undefined) return new Map(pending.map((item) => [item.id, reason]));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #update(command: UpdateCommand): Promise<Record<string, unknown> | undefined> {
    try {
      const output = await this.#client.send(command);
      return output.Attributes;
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw error;
      throw new MetadataStoreError(`DynamoDB ${command.constructor.name} failed`, { cause: error });
    }
  }
}
