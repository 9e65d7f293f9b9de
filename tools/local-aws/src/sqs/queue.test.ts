import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { SqsError } from './errors';
import { md5Hex } from './md5';
import { Queue } from './queue';
import type { NewMessage } from './queue-message';
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings } from './queue-settings';

class ManualClock implements Clock {
  private time = 1_700_000_000_000;
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

let counter = 0;
function message(body = 'hello', delaySeconds?: number): NewMessage {
  counter += 1;
  return {
    id: `m-${counter}`,
    body,
    md5OfBody: md5Hex(body),
    attributes: new Map(),
    systemAttributes: new Map(),
    senderId: 'tester',
    delaySeconds,
  };
}

function setup(settings: Partial<QueueSettings> = {}) {
  const clock = new ManualClock();
  const queues = new Map<string, Queue>();
  const make = (name: string, overrides: Partial<QueueSettings>) => {
    const queue = new Queue(
      name,
      `arn:aws:sqs:us-east-1:000000000000:${name}`,
      { ...DEFAULT_QUEUE_SETTINGS, ...overrides },
      clock,
      (arn) => queues.get(arn),
    );
    queues.set(queue.arn, queue);
    return queue;
  };
  const dlq = make('dlq', {});
  const queue = make('main', settings);
  return { clock, queue, dlq };
}

function codeOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SqsError) return error.code;
    throw error;
  }
  return undefined;
}

describe('Queue', () => {
  it('hides a received message for the visibility timeout, then returns it with a higher receive count', () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send(message());
    const [first] = queue.receive(1);
    expect(first?.message.receiveCount).toBe(1);
    expect(queue.receive(1)).toEqual([]);
    clock.advance(9_999);
    expect(queue.receive(1)).toEqual([]);
    clock.advance(1);
    const [second] = queue.receive(1);
    expect(second?.message.id).toBe(first?.message.id);
    expect(second?.message.receiveCount).toBe(2);
    expect(second?.message.firstReceivedAt).toBe(first?.message.firstReceivedAt);
  });

  it('accepts the previous receipt handle once the message is received again, keeping the message', () => {
    const { clock, queue } = setup({ visibilityTimeout: 1 });
    queue.send(message());
    const [first] = queue.receive(1);
    clock.advance(1_000);
    const [second] = queue.receive(1);
    expect(
      codeOf(() => {
        queue.deleteMessage(first!.receiptHandle);
      }),
    ).toBeUndefined();
    expect(queue.counts()).toEqual({ visible: 0, inflight: 1, delayed: 0 });
    expect(
      codeOf(() => {
        queue.deleteMessage(second!.receiptHandle);
      }),
    ).toBeUndefined();
    expect(queue.counts()).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });

  it('purges at most once every 60 seconds (PurgeQueueInProgress)', () => {
    const { clock, queue } = setup();
    queue.send(message());
    queue.requestPurge();
    queue.send(message());
    clock.advance(59_999);
    expect(
      codeOf(() => {
        queue.requestPurge();
      }),
    ).toBe('PurgeQueueInProgress');
    expect(queue.counts().visible).toBe(1);
    clock.advance(1);
    queue.requestPurge();
    expect(queue.counts().visible).toBe(0);
  });

  it('accepts a repeated delete with the last handle, as SQS does', () => {
    const { queue } = setup();
    queue.send(message());
    const [received] = queue.receive(1);
    queue.deleteMessage(received!.receiptHandle);
    expect(
      codeOf(() => {
        queue.deleteMessage(received!.receiptHandle);
      }),
    ).toBeUndefined();
    expect(
      codeOf(() => {
        queue.deleteMessage('garbage');
      }),
    ).toBe('ReceiptHandleIsInvalid');
  });

  it('keeps a delete with the current handle valid after the visibility timeout expired', () => {
    const { clock, queue } = setup({ visibilityTimeout: 1 });
    queue.send(message());
    const [received] = queue.receive(1);
    clock.advance(5_000);
    queue.deleteMessage(received!.receiptHandle);
    expect(queue.receive(1)).toEqual([]);
  });

  it('delays a message by its own DelaySeconds and counts it as delayed meanwhile', () => {
    const { clock, queue } = setup();
    queue.send(message('later', 5));
    expect(queue.counts()).toEqual({ visible: 0, inflight: 0, delayed: 1 });
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextDueAt()).toBe(clock.now() + 5_000);
    clock.advance(5_000);
    expect(queue.counts()).toEqual({ visible: 1, inflight: 0, delayed: 0 });
    expect(queue.receive(10)).toHaveLength(1);
  });

  it('applies the queue DelaySeconds when the message sets none', () => {
    const { clock, queue } = setup({ delaySeconds: 2 });
    queue.send(message());
    expect(queue.receive(1)).toEqual([]);
    clock.advance(2_000);
    expect(queue.receive(1)).toHaveLength(1);
  });

  it('returns each message at most once per receive and counts what is in flight', () => {
    const { queue } = setup({ visibilityTimeout: 0 });
    for (let index = 0; index < 15; index += 1) queue.send(message(`m${index}`));
    const received = queue.receive(10);
    expect(new Set(received.map((r) => r.message.id)).size).toBe(10);
    expect(queue.counts()).toEqual({ visible: 15, inflight: 0, delayed: 0 });
  });

  it('changes visibility of an in-flight message and refuses it for a visible one', () => {
    const { queue } = setup({ visibilityTimeout: 30 });
    queue.send(message());
    const [received] = queue.receive(1);
    queue.changeVisibility(received!.receiptHandle, 0);
    expect(queue.counts().visible).toBe(1);
    expect(
      codeOf(() => {
        queue.changeVisibility(received!.receiptHandle, 10);
      }),
    ).toBe('MessageNotInflight');
    expect(
      codeOf(() => {
        queue.changeVisibility('nope', 10);
      }),
    ).toBe('ReceiptHandleIsInvalid');
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', () => {
    const { clock, queue, dlq } = setup({
      visibilityTimeout: 1,
      redrivePolicy: {
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
        maxReceiveCount: 2,
      },
    });
    const sent = queue.send(message('poison'));
    expect(queue.receive(1)).toHaveLength(1);
    clock.advance(1_000);
    expect(queue.receive(1)).toHaveLength(1);
    clock.advance(1_000);
    expect(queue.receive(1)).toEqual([]);
    const [dead] = dlq.receive(1);
    expect(dead?.message).toMatchObject({
      id: sent.id,
      body: 'poison',
      deadLetterSourceArn: queue.arn,
      sentAt: sent.sentAt,
    });
    expect(queue.counts()).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });

  it('drops messages older than the retention period', () => {
    const { clock, queue } = setup({ messageRetentionPeriod: 60 });
    queue.send(message('old'));
    clock.advance(30_000);
    queue.send(message('young'));
    clock.advance(30_000);
    const received = queue.receive(10);
    expect(received.map((r) => r.message.body)).toEqual(['young']);
  });

  it('purges visible and in-flight messages', () => {
    const { queue } = setup();
    queue.send(message());
    queue.send(message());
    queue.receive(1);
    queue.purge();
    expect(queue.counts()).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });

  it('notifies subscribers once per tick after sends', async () => {
    const { queue } = setup();
    let calls = 0;
    queue.subscribe(() => {
      calls += 1;
    });
    queue.send(message());
    queue.send(message());
    await Promise.resolve();
    expect(calls).toBe(1);
  });
});
