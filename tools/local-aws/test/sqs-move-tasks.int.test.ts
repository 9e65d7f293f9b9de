import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, delay, rejection, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function queueCounts(sqs: SQSClient, url: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    inflight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/** A work queue whose DLQ already holds `count` dead-lettered messages (received once each). */
async function deadLettered(count: number) {
  const dlq = await createQueue(h.sqs, 'move-dlq');
  const source = await createQueue(h.sqs, 'move-src', {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  for (let first = 0; first < count; first += 10) {
    const entries = Array.from({ length: Math.min(10, count - first) }, (_, i) => ({
      Id: `m${String(first + i)}`,
      MessageBody: `poison ${String(first + i)}`,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
    }));
    await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: entries }));
  }
  await drainOnce(h.sqs, source.url, count);
  await delay(1_100);
  // This receive finds every message exhausted and dead-letters them all.
  await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
  for (let waited = 0; (await queueCounts(h.sqs, dlq.url)).visible < count; waited += 1) {
    if (waited > 50) throw new Error('messages did not reach the DLQ');
    await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    await delay(100);
  }
  return { dlq, source };
}

async function drainOnce(sqs: SQSClient, url: string, count: number): Promise<void> {
  let received = 0;
  while (received < count) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    received += Messages?.length ?? 0;
  }
}

async function latestTask(sourceArn: string): Promise<ListMessageMoveTasksResultEntry> {
  const { Results } = await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  const task = Results?.[0];
  if (!task) throw new Error('no move task');
  return task;
}

async function untilDone(sourceArn: string): Promise<ListMessageMoveTasksResultEntry> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const task = await latestTask(sourceArn);
    if (task.Status !== 'RUNNING') return task;
    await delay(100);
  }
  throw new Error('move task did not finish');
}

describe('SQS message move tasks', () => {
  it('moves every DLQ message back to its original source queue with body and attributes', async () => {
    const { dlq, source } = await deadLettered(3);
    const { TaskHandle } = await h.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }),
    );
    expect(TaskHandle).toEqual(expect.any(String));
    const task = await untilDone(dlq.arn);
    expect(task).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: dlq.arn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(task.TaskHandle).toBeUndefined();
    expect(task.StartedTimestamp).toEqual(expect.any(Number));
    expect(await queueCounts(h.sqs, dlq.url)).toMatchObject({ visible: 0 });
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(Messages?.map((m) => m.Body).sort()).toEqual(['poison 0', 'poison 1', 'poison 2']);
    expect(Messages?.[0]?.MessageAttributes?.kind?.StringValue).toBe('test');
    // Moved messages start over: the first receive after the move counts 1.
    expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
  });

  it('moves to an explicit DestinationArn at MaxNumberOfMessagesPerSecond', async () => {
    const { dlq } = await deadLettered(6);
    const other = await createQueue(h.sqs, 'move-other');
    const started = Date.now();
    await h.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: other.arn,
        MaxNumberOfMessagesPerSecond: 2,
      }),
    );
    const running = await latestTask(dlq.arn);
    expect(running).toMatchObject({
      Status: 'RUNNING',
      DestinationArn: other.arn,
      MaxNumberOfMessagesPerSecond: 2,
    });
    expect(running.TaskHandle).toEqual(expect.any(String));
    const task = await untilDone(dlq.arn);
    expect(task).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 6 });
    // Six messages at two per second cannot take less than about two and a half seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
    expect(await queueCounts(h.sqs, other.url)).toMatchObject({ visible: 6 });
  });

  it('allows one running task per source and cancels it, keeping what it moved', async () => {
    const { dlq, source } = await deadLettered(5);
    const { TaskHandle } = await h.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const second = await rejection(
      h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })),
    );
    expect(second.name).toBe('UnsupportedOperation');
    await delay(1_300);
    const { ApproximateNumberOfMessagesMoved } = await h.sqs.send(
      new CancelMessageMoveTaskCommand({ TaskHandle }),
    );
    expect(ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(1);
    expect(ApproximateNumberOfMessagesMoved).toBeLessThan(5);
    expect(await latestTask(dlq.arn)).toMatchObject({ Status: 'CANCELLED' });
    await delay(1_200);
    const counts = await queueCounts(h.sqs, dlq.url);
    const moved = await queueCounts(h.sqs, source.url);
    expect(counts.visible + moved.visible).toBe(5);
    expect(moved.visible).toBe(ApproximateNumberOfMessagesMoved);
    const again = await rejection(h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    expect(again.name).toBe('UnsupportedOperation');
  });

  it('lists the most recent tasks first, up to MaxResults', async () => {
    const { dlq } = await deadLettered(1);
    await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    await untilDone(dlq.arn);
    await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    await untilDone(dlq.arn);
    const { Results } = await h.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }),
    );
    expect(Results?.map((r) => r.ApproximateNumberOfMessagesToMove)).toEqual([0, 1]);
    expect(Results?.every((r) => r.Status === 'COMPLETED')).toBe(true);
  });

  it('refuses a source queue that is not a dead-letter queue', async () => {
    const plain = await createQueue(h.sqs, 'move-plain');
    const error = await rejection(
      h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })),
    );
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toMatch(/Dead Letter Queue/);
  });

  it('answers ResourceNotFoundException for an unknown source or task handle', async () => {
    const missing = await rejection(
      h.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' }),
      ),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const handle = await rejection(
      h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm90LWEtdGFzaw==' })),
    );
    expect(handle).toBeInstanceOf(ResourceNotFoundException);
  });

  it('rejects MaxNumberOfMessagesPerSecond above 500', async () => {
    const { dlq } = await deadLettered(1);
    const error = await rejection(
      h.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 501 }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('fails the task when the original source queue no longer exists', async () => {
    const { dlq, source } = await deadLettered(1);
    // Another queue keeps pointing at the DLQ, so it is still a dead-letter queue.
    await createQueue(h.sqs, 'move-keep', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    await h.sqs.send(new DeleteQueueCommand({ QueueUrl: source.url }));
    await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const task = await untilDone(dlq.arn);
    expect(task.Status).toBe('FAILED');
    expect(task.FailureReason).toMatch(/does not exist/);
    expect(await queueCounts(h.sqs, dlq.url)).toMatchObject({ visible: 1 });
  });
});
