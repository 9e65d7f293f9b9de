import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureLogger, delivery, envelope, FakeMetadataStore } from '../../test/fakes';
import { DlqObserver } from './dlq-observer';

const sqs = new SQSClient({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(sqs);
const DLQ = 'http://127.0.0.1:4566/000000000000/dlq';

function observer(metadata: FakeMetadataStore) {
  const subject = new DlqObserver(
    { sqs, metadata, logger: captureLogger().logger, clock: Date.now },
    { dlqUrl: DLQ, intervalMs: 60_000 },
  );
  subject.start();
  return subject;
}

beforeEach(() => {
  mock.reset();
});

describe('DlqObserver', () => {
  it('records dead_lettered without deleting or hiding the messages', async () => {
    const poison = envelope();
    const messages = [delivery(poison), delivery('garbage')];
    mock.on(ReceiveMessageCommand).resolves({ Messages: messages });
    const metadata = new FakeMetadataStore();
    const subject = observer(metadata);
    expect(await subject.observe()).toBe(2);
    await subject.stop();
    expect(metadata.statuses.get(`acme/${poison.id}`)).toMatchObject({
      status: 'dead_lettered',
      channel: 'orders',
    });
    expect(metadata.statuses.get(`_unknown/${messages[1]?.MessageId ?? ''}`)).toMatchObject({
      status: 'dead_lettered',
    });
    expect(mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: DLQ,
      VisibilityTimeout: 0,
    });
    expect(mock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(mock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it('never overwrites a stored status, and does not record the same message twice', async () => {
    const stored = envelope();
    mock.on(ReceiveMessageCommand).resolves({ Messages: [delivery(stored)] });
    const metadata = new FakeMetadataStore();
    await metadata.markStored(
      { tenant: 'acme', id: stored.id, channel: 'orders', storedAt: new Date() },
      new Date(),
    );
    const subject = observer(metadata);
    expect(await subject.observe()).toBe(0);
    const writes = metadata.writes;
    await subject.observe();
    await subject.stop();
    expect(metadata.statuses.get(`acme/${stored.id}`)?.status).toBe('stored');
    expect(metadata.writes).toBe(writes);
  });
});
