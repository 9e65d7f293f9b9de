import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, delay, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function queueWithDeadLetter(maxReceiveCount: number) {
  const dlq = await createQueue(h.sqs, 'dlq');
  const source = await createQueue(h.sqs, 'work', {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
  });
  return { dlq, source };
}

describe('SQS redrive to a dead-letter queue', () => {
  it('moves a message received maxReceiveCount times to the DLQ once it becomes visible again', async () => {
    const { dlq, source } = await queueWithDeadLetter(2);
    const sent = await h.sqs.send(
      new SendMessageCommand({
        QueueUrl: source.url,
        MessageBody: 'poison',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    for (const expectedCount of ['1', '2']) {
      const { Messages } = await h.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: source.url,
          WaitTimeSeconds: 3,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe(expectedCount);
    }
    // The third receive attempt, after the visibility timeout, redrives instead of delivering.
    await delay(1_100);
    const third = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    expect(third.Messages).toBeUndefined();
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(Messages?.[0]).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
    });
    expect(Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(source.arn);
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('leaves a message that is still under maxReceiveCount on its queue', async () => {
    const { dlq, source } = await queueWithDeadLetter(5);
    await h.sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'retry' }));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0 }));
    }
    const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    expect(Messages?.[0]?.Body).toBe('retry');
    expect(
      (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }))).Messages,
    ).toBeUndefined();
  });
});
