import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  captureLogger,
  FakeAlertPublisher,
  FakeMessageStore,
  FakeMetadataStore,
} from '../test/fakes';
import { createWorker } from './worker';

const sqs = new SQSClient({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(sqs);

function worker(clock: () => number) {
  const store = new FakeMessageStore();
  return createWorker(
    {
      sqs,
      store,
      channels: store,
      metadata: new FakeMetadataStore(),
      alerts: new FakeAlertPublisher(),
      logger: captureLogger().logger,
      clock,
    },
    {
      queueUrl: 'http://127.0.0.1:4566/000000000000/q',
      consumers: 2,
      batchSize: 10,
      visibilityTimeoutSeconds: 30,
      heartbeatSeconds: 10,
      waitTimeSeconds: 1,
      batchTimeoutSeconds: 5,
      healthStallSeconds: 10,
      dlqObserveSeconds: 0,
      channelFlushMs: 1_000,
    },
  );
}

beforeEach(() => {
  mock.reset();
});

describe('worker health', () => {
  it('is unhealthy before start and while draining, healthy while polling', async () => {
    // Receives that never answer: the consumers look alive only until the stall threshold.
    mock.on(ReceiveMessageCommand).callsFake(() => new Promise(() => undefined));
    let now = 1_000_000;
    const subject = worker(() => now);
    expect(subject.health()).toMatchObject({ healthy: false, reason: 'worker created' });
    subject.start();
    expect(subject.health()).toMatchObject({ healthy: true });
    now += 11_000;
    expect(subject.health()).toMatchObject({
      healthy: false,
      reason: 'no successful receive for over 10s (consumer 0,1)',
    });
    now = Number.MAX_SAFE_INTEGER;
    await subject.drain(0);
    expect(subject.health()).toMatchObject({ healthy: false, reason: 'worker draining' });
  });
});
