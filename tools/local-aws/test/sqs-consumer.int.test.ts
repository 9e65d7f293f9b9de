import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

const TOTAL = 200;

describe('sqs-consumer 14 against the emulator', () => {
  it(`consumes ${TOTAL} messages in batches with none lost or left behind`, async () => {
    const { url } = await createQueue(h.sqs, 'consumer', { VisibilityTimeout: '10' });
    for (let start = 0; start < TOTAL; start += 10) {
      const entries = Array.from({ length: 10 }, (_, index) => ({
        Id: `m${start + index}`,
        MessageBody: `message-${start + index}`,
      }));
      const { Failed } = await h.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }),
      );
      expect(Failed ?? []).toEqual([]);
    }
    const seen = new Set<string>();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const errors: Error[] = [];
    const consumer = Consumer.create({
      queueUrl: url,
      sqs: h.sqs,
      batchSize: 10,
      waitTimeSeconds: 1,
      handleMessageBatch: (messages) => {
        for (const message of messages) seen.add(message.Body!);
        // From v14 the batch handler returns the messages to delete.
        return Promise.resolve(messages);
      },
    });
    // Emitted once a batch is handled and deleted.
    consumer.on('response_processed', () => {
      if (seen.size >= TOTAL) resolveDone();
    });
    consumer.on('error', (error) => errors.push(error));
    consumer.on('processing_error', (error) => errors.push(error));
    consumer.start();
    await done;
    await new Promise<void>((resolve) => {
      consumer.once('stopped', () => {
        resolve();
      });
      consumer.stop();
    });
    expect(errors).toEqual([]);
    expect(seen.size).toBe(TOTAL);
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });
});
