import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogger, delivery, envelope } from '../../test/fakes';
import { ConsumerFleet } from './consumer-fleet';

const QUEUE = 'http://127.0.0.1:4566/000000000000/q';
const sqs = new SQSClient({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(sqs);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The queue hands out `batches` one receive at a time, then polls come back empty. */
function queue(batches: Message[][]) {
  mock.on(ReceiveMessageCommand).callsFake(async () => {
    await sleep(10);
    const next = batches.shift();
    return next ? { Messages: next } : {};
  });
  mock.on(DeleteMessageBatchCommand).resolves({ Successful: [] });
}

function fleet(
  handleMessageBatch: (messages: Message[]) => Promise<Message[]>,
  consumers = 1,
  clock: () => number = Date.now,
) {
  const { logger, lines } = captureLogger();
  const options = {
    queueUrl: QUEUE,
    consumers,
    batchSize: 10,
    visibilityTimeoutSeconds: 30,
    heartbeatSeconds: 10,
    waitTimeSeconds: 1,
  };
  return {
    fleet: new ConsumerFleet({ sqs, handleMessageBatch, logger, clock }, options),
    lines,
  };
}

const deletedIds = () =>
  mock
    .commandCalls(DeleteMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.Id) ?? []);

let running: ConsumerFleet | undefined;

beforeEach(() => {
  mock.reset();
});

afterEach(async () => {
  await running?.drain(Date.now() + 2_000);
  running = undefined;
});

describe('ConsumerFleet', () => {
  it('deletes exactly the messages the handler returns', async () => {
    const batch = [delivery(envelope()), delivery(envelope()), delivery(envelope())];
    queue([batch]);
    const { fleet: subject } = fleet((messages) => Promise.resolve(messages.slice(0, 2)));
    running = subject;
    subject.start();
    await expect.poll(deletedIds).toEqual([batch[0]?.MessageId, batch[1]?.MessageId]);
    const receive = mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input;
    expect(receive).toMatchObject({
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 30,
      WaitTimeSeconds: 1,
    });
    expect(receive?.MessageAttributeNames).toContain('traceparent');
  });

  it('deletes nothing and logs the batch when the handler throws', async () => {
    const batch = [delivery(envelope())];
    queue([batch]);
    const { fleet: subject, lines } = fleet(() => Promise.reject(new Error('database down')));
    running = subject;
    subject.start();
    await expect
      .poll(() =>
        lines.find((line) => line.msg === 'batch failed; its messages will be redelivered'),
      )
      .toBeDefined();
    expect(mock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it('runs several consumers so more than one batch is in flight', async () => {
    queue([[delivery(envelope())], [delivery(envelope())], [delivery(envelope())]]);
    let inFlight = 0;
    let peak = 0;
    const { fleet: subject } = fleet(async (messages) => {
      peak = Math.max(peak, (inFlight += 1));
      await sleep(100);
      inFlight -= 1;
      return messages;
    }, 3);
    running = subject;
    subject.start();
    await expect.poll(() => deletedIds().length).toBe(3);
    expect(peak).toBeGreaterThan(1);
  });

  it('drains: stops polling and resolves only after the batch in hand is deleted', async () => {
    const batch = [delivery(envelope())];
    queue([batch]);
    let started = false;
    const { fleet: subject } = fleet(async (messages) => {
      started = true;
      await sleep(300);
      return messages;
    });
    subject.start();
    await expect.poll(() => started).toBe(true);
    expect(await subject.drain(Date.now() + 5_000)).toBe(true);
    expect(deletedIds()).toEqual([batch[0]?.MessageId]);
    const receives = mock.commandCalls(ReceiveMessageCommand).length;
    await sleep(100);
    expect(mock.commandCalls(ReceiveMessageCommand)).toHaveLength(receives);
    expect(subject.health()[0]).toMatchObject({ running: false, inFlight: 0 });
  });

  it('reports the time since the last successful receive', async () => {
    queue([]);
    let now = 1_000_000;
    const { fleet: subject } = fleet(
      (messages) => Promise.resolve(messages),
      1,
      () => now,
    );
    running = subject;
    subject.start();
    // No receive has finished yet (each takes 10 ms): the age counts from start().
    now += 60_000;
    expect(subject.health()[0]).toMatchObject({ running: true, lastReceiveAgoMs: 60_000 });
    // The first successful (empty) receive resets it.
    await expect.poll(() => subject.health()[0]?.lastReceiveAgoMs).toBe(0);
  });

  it('backs off and logs when receives fail', async () => {
    mock
      .on(ReceiveMessageCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const { fleet: subject, lines } = fleet((messages) => Promise.resolve(messages));
    running = subject;
    subject.start();
    await sleep(300);
    const failures = lines.filter((line) => line.msg === 'receive failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(5);
    expect(failures.at(-1)).toMatchObject({ retryInMs: expect.any(Number) as unknown });
  });
});
