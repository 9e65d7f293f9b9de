import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { messageStatusKey, type MessageStatusItem } from '@herald/metadata';
import { inject } from 'vitest';
import '@herald/testing';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function testClients() {
  const stack = inject('stack');
  const config = { endpoint: stack.awsEndpoint, region: stack.region, credentials };
  const sqs = new SQSClient(config);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  return {
    sqs,
    dynamo,
    table: stack.metadataTable,
    destroy: () => {
      sqs.destroy();
      dynamo.destroy();
    },
  };
}

export type TestClients = ReturnType<typeof testClients>;

export interface DeadLetteredMessage {
  readonly id: string;
  readonly tenant: string;
  readonly channel: string;
}

/**
 * A fresh work queue and DLQ (maxReceiveCount 1) holding `count` Herald envelopes really
 * dead-lettered by SQS redrive, each recorded `dead_lettered` as the worker's DLQ observer does.
 */
export async function deadLetteredQueues(clients: TestClients, count: number) {
  const suffix = randomUUID().slice(0, 8);
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    const url = QueueUrl ?? '';
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return { url, arn: Attributes?.QueueArn ?? '' };
  };
  const dlq = await create(`cli-dlq-${suffix}`);
  const queue = await create(`cli-q-${suffix}`, {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  const tenant = `tenant-${suffix}`;
  const messages: DeadLetteredMessage[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    tenant,
    channel: `orders-${String(i)}`,
  }));
  for (let first = 0; first < count; first += 10) {
    await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.slice(first, first + 10).map((message, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify({ v: 1, ...message, body: 'boom', priority: 'normal' }),
          MessageAttributes: { tenant: { DataType: 'String', StringValue: tenant } },
        })),
      }),
    );
  }
  for (let received = 0; received < count;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    received += Messages.length;
  }
  await new Promise((done) => setTimeout(done, 1_100));
  for (let attempt = 0; (await depth(clients, dlq.url)) < count; attempt += 1) {
    if (attempt > 30) throw new Error('the messages did not reach the DLQ');
    await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }),
    );
  }
  for (const message of messages) {
    const status: MessageStatusItem = {
      ...messageStatusKey(message.tenant, message.id),
      id: message.id,
      tenant: message.tenant,
      channel: message.channel,
      status: 'dead_lettered',
      reason: 'reached the dead-letter queue',
      updatedAt: new Date().toISOString(),
    };
    await clients.dynamo.send(new PutCommand({ TableName: clients.table, Item: status }));
  }
  return { queue, dlq, messages };
}

export async function depth(clients: TestClients, url: string): Promise<number> {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}
