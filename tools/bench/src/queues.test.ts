import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { purge } from './queues';

const QUEUE = 'http://127.0.0.1:1/000000000000/bench';
const sqs = new SQSClient({ region: 'us-east-1' });
const mock = mockClient(sqs);

const depthOf = (visible: number) => ({
  Attributes: {
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: '0',
  },
});
const inProgress = () =>
  new PurgeQueueInProgress({ message: 'Only one PurgeQueue every 60 seconds', $metadata: {} });

afterEach(() => mock.reset());

describe('purge', () => {
  it('sends nothing but a depth read when the queue is already empty', async () => {
    mock.on(GetQueueAttributesCommand).resolves(depthOf(0));
    await purge(sqs, QUEUE);
    expect(mock.commandCalls(PurgeQueueCommand)).toHaveLength(0);
  });

  it('waits out the purge interval for a deep queue instead of receiving it message by message', async () => {
    mock.on(GetQueueAttributesCommand).resolves(depthOf(50_000));
    mock.on(PurgeQueueCommand).rejectsOnce(inProgress()).resolves({});
    await purge(sqs, QUEUE, { everyMs: 1, forMs: 5_000 });
    expect(mock.commandCalls(PurgeQueueCommand)).toHaveLength(2);
    expect(mock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('receives and deletes a shallow queue when a purge is refused', async () => {
    mock.on(GetQueueAttributesCommand).resolvesOnce(depthOf(3)).resolves(depthOf(0));
    mock.on(PurgeQueueCommand).rejects(inProgress());
    mock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ ReceiptHandle: 'a' }, { ReceiptHandle: 'b' }] })
      .resolves({ Messages: [] });
    mock.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await purge(sqs, QUEUE, { everyMs: 1, forMs: 5_000 });
    expect(mock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
  });

  it('stops with one line when the purge stays refused past its deadline', async () => {
    mock.on(GetQueueAttributesCommand).resolves(depthOf(50_000));
    mock.on(PurgeQueueCommand).rejects(inProgress());
    await expect(purge(sqs, QUEUE, { everyMs: 1, forMs: 20 })).rejects.toThrow(
      /PurgeQueue still refused after 20 ms/,
    );
  });
});
