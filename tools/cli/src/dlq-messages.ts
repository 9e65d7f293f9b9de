import {
  ChangeMessageVisibilityBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageStatusKey, type MessageStatusItem } from '@herald/metadata';

/** A message held by the DLQ, with what its envelope says about it. */
export interface DlqMessage {
  readonly sqs: Message;
  /** The Herald message id, tenant and channel, when the body is a Herald envelope. */
  readonly id?: string;
  readonly tenant?: string;
  readonly channel?: string;
  readonly envelope?: unknown;
}

/** The most DLQ messages one command looks through. */
export const DLQ_SCAN_MAX = 1_000;

/** How long peeked messages stay hidden from others before {@link DlqPeek.release}. */
const PEEK_VISIBILITY_SECONDS = 30;

function parse(message: Message): DlqMessage {
  try {
    const envelope: unknown = JSON.parse(message.Body ?? '');
    if (typeof envelope !== 'object' || envelope === null) return { sqs: message };
    const { id, tenant, channel } = envelope as Record<string, unknown>;
    return {
      sqs: message,
      envelope,
      ...(typeof id === 'string' ? { id } : {}),
      ...(typeof tenant === 'string' ? { tenant } : {}),
      ...(typeof channel === 'string' ? { channel } : {}),
    };
  } catch {
    return { sqs: message };
  }
}

/** The messages of one look into the DLQ, hidden until released (or the peek visibility ends). */
export interface DlqPeek {
  readonly messages: readonly DlqMessage[];
  /** Makes the messages visible again (all, or those not in `except`). */
  release(except?: ReadonlySet<DlqMessage>): Promise<void>;
}

/**
 * Receives up to `max` DLQ messages without consuming them: each is received once (hidden for
 * the peek), then made visible again by `release`. Deleting is left to the caller.
 */
export async function peekDlq(sqs: SQSClient, dlqUrl: string, max: number): Promise<DlqPeek> {
  const messages: DlqMessage[] = [];
  while (messages.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - messages.length),
        VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages.map(parse));
  }
  return {
    messages,
    release: async (except) => {
      const released = messages.filter((message) => !except?.has(message));
      for (let first = 0; first < released.length; first += 10) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: dlqUrl,
            Entries: released.slice(first, first + 10).map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.sqs.ReceiptHandle ?? '',
              VisibilityTimeout: 0,
            })),
          }),
        );
      }
    },
  };
}

/** The worker's status item of a message, if any. */
export async function readStatus(
  dynamo: DynamoDBDocumentClient,
  table: string,
  tenant: string,
  id: string,
): Promise<MessageStatusItem | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: messageStatusKey(tenant, id) }),
  );
  return Item as MessageStatusItem | undefined;
}

/** The status item and every event of a message (its partition), oldest event first. */
export async function readHistory(
  dynamo: DynamoDBDocumentClient,
  table: string,
  tenant: string,
  id: string,
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messageStatusKey(tenant, id).pk },
    }),
  );
  // Events sort before STATUS by key; the history reads in time order.
  const when = (item: Record<string, unknown>) => {
    const value = item.at ?? item.updatedAt;
    return typeof value === 'string' ? value : '';
  };
  return Items.sort((a, b) => when(a).localeCompare(when(b)));
}

/** When SQS says the message was sent to its first queue (epoch ms), as ISO. */
export function sentAt(message: DlqMessage): string | undefined {
  const sent = message.sqs.Attributes?.SentTimestamp;
  return sent === undefined ? undefined : new Date(Number(sent)).toISOString();
}
