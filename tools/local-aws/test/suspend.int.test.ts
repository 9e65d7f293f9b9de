import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('suspend and resume', () => {
  it('makes the endpoint unreachable and back on the same port, keeping queued messages', async () => {
    const queue = await createQueue(h.sqs, 'suspend');
    await h.sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'kept across the outage' }),
    );

    await h.aws.suspend();
    // A pooled keep-alive socket answers "socket hang up", a new one ECONNREFUSED: both unreachable.
    await expect(
      h.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'lost' })),
    ).rejects.toThrow(/ECONNREFUSED|socket hang up/);

    await h.aws.resume();
    const { Messages = [] } = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['kept across the outage']);
  });

  it('closes cleanly while suspended', async () => {
    const other = await startHarness();
    await other.aws.suspend();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
