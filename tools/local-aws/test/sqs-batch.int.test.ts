import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, rejection, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function entries(count: number, body = 'm'): SendMessageBatchRequestEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    Id: `e${index}`,
    MessageBody: `${body}${index}`,
  }));
}

describe('SQS batch calls', () => {
  it('sends a batch and reports every entry with its digest', async () => {
    const { url } = await createQueue(h.sqs, 'sendbatch');
    const result = await h.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...entries(2),
          {
            Id: 'attr',
            MessageBody: 'derp',
            MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
          },
        ],
      }),
    );
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['e0', 'e1', 'attr']);
    expect(result.Successful?.[2]).toMatchObject({
      MD5OfMessageBody: '58fd9edd83341c29f1aebba81c31e257',
      MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c',
    });
  });

  it('fails only the invalid entries of a send batch', async () => {
    const { url } = await createQueue(h.sqs, 'partial', { MaximumMessageSize: '1024' });
    const result = await h.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'big', MessageBody: 'x'.repeat(2_000) },
          { Id: 'bad', MessageBody: 'nul \u0000' },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'big', Code: 'InvalidParameterValue', SenderFault: true }),
      expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true }),
    ]);
  });

  it('deletes a batch, leaving the message of an older receipt handle and failing garbage', async () => {
    const { url } = await createQueue(h.sqs, 'deletebatch');
    await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(3) }));
    const first = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    const second = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(first.Messages).toHaveLength(3);
    expect(second.Messages).toHaveLength(3);
    const staleOne = first.Messages![0]!;
    const fresh = second.Messages!.filter((message) => message.MessageId !== staleOne.MessageId);
    const result = await h.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'stale', ReceiptHandle: staleOne.ReceiptHandle },
          { Id: 'garbage', ReceiptHandle: 'garbage' },
          ...fresh.map((message, index) => ({
            Id: `fresh${index}`,
            ReceiptHandle: message.ReceiptHandle,
          })),
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['stale', 'fresh0', 'fresh1']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'garbage', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
  });

  it('changes visibility in a batch with per-entry results', async () => {
    const { url } = await createQueue(h.sqs, 'visbatch');
    await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(1) }));
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 60 }),
    );
    const result = await h.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' }),
    ]);
    expect((await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(
      1,
    );
  });

  it.each([
    ['EmptyBatchRequest', []],
    ['TooManyEntriesInBatchRequest', entries(11)],
    [
      'BatchEntryIdsNotDistinct',
      [
        { Id: 'same', MessageBody: 'a' },
        { Id: 'same', MessageBody: 'b' },
      ],
    ],
    ['InvalidBatchEntryId', [{ Id: 'not valid!', MessageBody: 'a' }]],
    [
      'BatchRequestTooLong',
      [
        { Id: 'a', MessageBody: 'x'.repeat(600_000) },
        { Id: 'b', MessageBody: 'x'.repeat(600_000) },
      ],
    ],
  ])('rejects the whole send batch with %s', async (code, batch) => {
    const { url } = await createQueue(h.sqs, 'badbatch');
    const error = await rejection(
      h.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch })),
    );
    expect(error.name).toBe(code);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(
      (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages,
    ).toBeUndefined();
  });

  it('applies the batch entry checks to delete batches too', async () => {
    const { url } = await createQueue(h.sqs, 'baddelete');
    const empty = await rejection(
      h.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    );
    expect(empty.name).toBe('EmptyBatchRequest');
    const many = Array.from({ length: 11 }, (_, index) => ({
      Id: `d${index}`,
      ReceiptHandle: 'h',
    }));
    const tooMany = await rejection(
      h.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: many })),
    );
    expect(tooMany.name).toBe('TooManyEntriesInBatchRequest');
  });
});
