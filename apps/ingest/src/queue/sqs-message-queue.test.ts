import {
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../../test/fakes';
import { IngestMetrics } from '../metrics';
import { messageSize, type OutgoingMessage } from './outgoing-message';
import { SqsMessageQueue, SqsMessageQueueOptionsError } from './sqs-message-queue';

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'http://sqs.local/000000000000/herald-messages';

function outgoing(id: string, body: string, attributes: Record<string, string>): OutgoingMessage {
  return { id, body, attributes, size: messageSize(body, attributes) };
}

function message(id: string, bytes = 10): OutgoingMessage {
  return outgoing(id, 'x'.repeat(bytes), {
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });
}

function allSucceed() {
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
    Successful: (input.Entries ?? []).map((entry) => ({
      Id: entry.Id,
      MessageId: `m-${entry.Id ?? ''}`,
      MD5OfMessageBody: '',
    })),
    Failed: [],
  }));
}

function calls(): SendMessageBatchCommandInput[] {
  return sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
}

function batcher(overrides: Partial<ConstructorParameters<typeof SqsMessageQueue>[0]> = {}) {
  const metrics = new IngestMetrics();
  const instance = new SqsMessageQueue({
    client: new SQSClient({ region: 'us-east-1' }),
    queueUrl: QUEUE_URL,
    lingerMs: 5,
    retryDelayMs: 1,
    metrics,
    logger: captureLogger().logger,
    ...overrides,
  });
  return { instance, metrics };
}

beforeEach(() => {
  sqs.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SqsMessageQueue', () => {
  it('sends a full batch of 10 at once, without waiting for the linger', async () => {
    allSucceed();
    const { instance, metrics } = batcher({ lingerMs: 60_000 });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => instance.add(message(`m${i}`))),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]?.Entries).toHaveLength(10);
    expect(calls()[0]?.QueueUrl).toBe(QUEUE_URL);
    expect(metrics.snapshot()).toMatchObject({
      sqsRequests: 1,
      messagesEnqueued: 10,
      sqsRequestsPerMessage: 0.1,
    });
  });

  it('splits 25 concurrent messages into 10 + 10 + 5', async () => {
    allSucceed();
    const { instance } = batcher();
    await Promise.all(Array.from({ length: 25 }, (_, i) => instance.add(message(`m${i}`))));
    expect(calls().map((call) => call.Entries?.length)).toEqual([10, 10, 5]);
  });

  it('sends a partial batch after the linger', async () => {
    vi.useFakeTimers();
    allSucceed();
    const { instance } = batcher({ lingerMs: 5 });
    const pending = Promise.all([instance.add(message('a')), instance.add(message('b'))]);
    await vi.advanceTimersByTimeAsync(4);
    expect(calls()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(calls()).toHaveLength(1);
    expect((await pending).every((outcome) => outcome.ok)).toBe(true);
  });

  it('starts a new batch before the request would pass the byte limit', async () => {
    allSucceed();
    const { instance } = batcher({ maxBytes: 1000 });
    // Each message counts its body plus the traceparent attribute (~70 bytes).
    await Promise.all([
      instance.add(message('a', 500)),
      instance.add(message('b', 500)),
      instance.add(message('c', 100)),
    ]);
    expect(calls().map((call) => call.Entries?.map((entry) => entry.MessageBody?.length))).toEqual([
      [500],
      [500, 100],
    ]);
  });

  it('answers send() with one outcome per message, in order', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '1', MessageId: 'b', MD5OfMessageBody: '' }],
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }],
    });
    const { instance } = batcher({ lingerMs: 0 });
    const outcomes = await instance.send([message('a'), message('b')]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, true]);
    expect(calls()).toHaveLength(1);
  });

  it('carries the attributes as String message attributes', async () => {
    allSucceed();
    const { instance } = batcher({ lingerMs: 0 });
    await instance.add(outgoing('a', '{}', { traceparent: 'tp', tracestate: 'ts' }));
    expect(calls()[0]?.Entries?.[0]?.MessageAttributes).toEqual({
      traceparent: { DataType: 'String', StringValue: 'tp' },
      tracestate: { DataType: 'String', StringValue: 'ts' },
    });
  });

  it('retries an entry SQS failed on its side, then succeeds', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'a', MD5OfMessageBody: '' }],
        Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
      })
      .resolves({ Successful: [{ Id: '0', MessageId: 'b', MD5OfMessageBody: '' }], Failed: [] });
    const { instance, metrics } = batcher({ lingerMs: 0 });
    const outcomes = await Promise.all([instance.add(message('a')), instance.add(message('b'))]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    expect(calls().map((call) => call.Entries?.map((entry) => entry.MessageBody))).toHaveLength(2);
    expect(metrics.entryRetries).toBe(1);
  });

  it('reports an entry still failing after maxAttempts as rejected and retryable', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError', Message: 'boom' }],
    });
    const { instance, metrics } = batcher({ lingerMs: 0, maxAttempts: 3 });
    expect(await instance.add(message('a'))).toEqual({
      ok: false,
      kind: 'rejected',
      retryable: true,
      reason: 'InternalError: boom',
    });
    expect(calls()).toHaveLength(3);
    expect(metrics.enqueueFailures).toBe(1);
  });

  it('does not retry an entry SQS refused as the sender’s fault', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }],
    });
    const { instance } = batcher({ lingerMs: 0 });
    expect(await instance.add(message('a'))).toMatchObject({
      ok: false,
      kind: 'rejected',
      retryable: false,
    });
    expect(calls()).toHaveLength(1);
  });

  it('fails every message of the call as unavailable when SQS is unreachable', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const { instance, metrics } = batcher();
    const outcomes = await Promise.all([instance.add(message('a')), instance.add(message('b'))]);
    expect(outcomes).toEqual([
      { ok: false, kind: 'unavailable', retryable: true, reason: 'the queue is unreachable' },
      { ok: false, kind: 'unavailable', retryable: true, reason: 'the queue is unreachable' },
    ]);
    expect(metrics.messagesEnqueued).toBe(0);
  });

  it('flushes what it holds on close and refuses what comes after', async () => {
    allSucceed();
    const { instance } = batcher({ lingerMs: 60_000 });
    const pending = instance.add(message('a'));
    await instance.close();
    expect(await pending).toEqual({ ok: true });
    expect(await instance.add(message('late'))).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(calls()).toHaveLength(1);
  });

  it('names a bad option', () => {
    expect(() => batcher({ maxEntries: 11 })).toThrow(SqsMessageQueueOptionsError);
    expect(() => batcher({ maxEntries: 11 })).toThrow(/maxEntries must be 1-10/);
    expect(() => batcher({ maxBytes: 2 * 1024 * 1024 })).toThrow(/maxBytes/);
  });
});
