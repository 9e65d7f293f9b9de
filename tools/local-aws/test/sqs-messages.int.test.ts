import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5OfAttributes } from '../src/index';
import { createQueue, delay, rejection, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function toStored(attributes: Record<string, MessageAttributeValue>) {
  return new Map(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { dataType: value.DataType!, stringValue: value.StringValue, binaryValue: value.BinaryValue },
    ]),
  );
}

async function counts(url: string) {
  const { Attributes } = await h.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    inflight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes?.ApproximateNumberOfMessagesDelayed),
  };
}

const ATTRIBUTES: Record<string, MessageAttributeValue> = {
  timestamp: { DataType: 'Number', StringValue: '1493147359900' },
  'trace.id': { DataType: 'String', StringValue: 'abc-123' },
  'trace.span': { DataType: 'String.custom', StringValue: 'span-7' },
  blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250]) },
};

describe('SQS messages', () => {
  it('returns the AWS digests on send and the attributes on receive (the SDK checks the body MD5)', async () => {
    const { url } = await createQueue(h.sqs, 'md5');
    const sent = await h.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'derp',
        MessageAttributes: { timestamp: ATTRIBUTES.timestamp! },
        MessageSystemAttributes: {
          AWSTraceHeader: {
            DataType: 'String',
            StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793',
          },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe('58fd9edd83341c29f1aebba81c31e257');
    expect(sent.MD5OfMessageAttributes).toBe('235c5c510d26fb653d073faed50ae77c');
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['AWSTraceHeader'],
      }),
    );
    expect(Messages?.[0]).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'derp',
      MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c',
      MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
      Attributes: { AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
    });
  });

  it.each([
    [['All'], ['blob', 'timestamp', 'trace.id', 'trace.span']],
    [['.*'], ['blob', 'timestamp', 'trace.id', 'trace.span']],
    [['trace.*'], ['trace.id', 'trace.span']],
    [
      ['timestamp', 'blob'],
      ['blob', 'timestamp'],
    ],
    [[], []],
  ])(
    'filters message attributes by %j and digests only those returned',
    async (requested, expected) => {
      const { url } = await createQueue(h.sqs, 'filter');
      await h.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: ATTRIBUTES }),
      );
      const { Messages } = await h.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: requested }),
      );
      const message = Messages![0]!;
      expect(Object.keys(message.MessageAttributes ?? {}).sort()).toEqual(expected);
      expect(message.MD5OfMessageAttributes).toBe(
        md5OfAttributes(toStored(message.MessageAttributes ?? {})),
      );
      if (expected.includes('blob'))
        expect(message.MessageAttributes?.blob?.BinaryValue).toEqual(
          new Uint8Array([0, 1, 2, 250]),
        );
    },
  );

  it('returns the requested system attributes through AttributeNames or MessageSystemAttributeNames', async () => {
    const { url } = await createQueue(h.sqs, 'sysattrs');
    const before = Date.now();
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const { Messages } = await h.sqs.send(
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- older callers still send it: it must keep working
      new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['All'], VisibilityTimeout: 0 }),
    );
    const attributes = Messages![0]!.Attributes!;
    expect(attributes.SenderId).toBe('AKIDLOCAL');
    expect(attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(attributes.SentTimestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(attributes.SentTimestamp),
    );
    const again = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(again.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  it('never returns one message twice in a response and caps it at MaxNumberOfMessages', async () => {
    const { url } = await createQueue(h.sqs, 'max');
    for (let index = 0; index < 12; index += 1)
      await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${index}` }));
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(Messages).toHaveLength(10);
    expect(new Set(Messages?.map((m) => m.MessageId)).size).toBe(10);
  });

  it.each([0, 11])('rejects MaxNumberOfMessages=%i with InvalidParameterValue', async (max) => {
    const { url } = await createQueue(h.sqs, 'badmax');
    const error = await rejection(
      h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max })),
    );
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('makes a message receivable again after its visibility timeout, with a higher receive count', async () => {
    const { url } = await createQueue(h.sqs, 'visibility');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        VisibilityTimeout: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await counts(url)).toEqual({ visible: 0, inflight: 1, delayed: 0 });
    expect(
      (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages,
    ).toBeUndefined();
    const second = await h.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        WaitTimeSeconds: 3,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(second.Messages?.[0]?.MessageId).toBe(first.Messages?.[0]?.MessageId);
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('accepts an older receipt handle after a re-receive without deleting, as SQS does, and rejects garbage', async () => {
    const { url } = await createQueue(h.sqs, 'stale');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const first = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }),
    );
    const second = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await h.sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle }),
    );
    expect(await counts(url)).toEqual({ visible: 0, inflight: 1, delayed: 0 });
    const garbage = await rejection(
      h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })),
    );
    expect(garbage.name).toBe('ReceiptHandleIsInvalid');
    await h.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: second.Messages![0]!.ReceiptHandle,
      }),
    );
    expect(await counts(url)).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });

  it('changes visibility of in-flight messages and answers MessageNotInflight otherwise', async () => {
    const { url } = await createQueue(h.sqs, 'changevis');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 60 }),
    );
    const handle = Messages![0]!.ReceiptHandle!;
    await h.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: handle,
        VisibilityTimeout: 0,
      }),
    );
    expect(await counts(url)).toEqual({ visible: 1, inflight: 0, delayed: 0 });
    const error = await rejection(
      h.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: handle,
          VisibilityTimeout: 5,
        }),
      ),
    );
    expect(error.name).toBe('MessageNotInflight');
  });

  it('delays messages by DelaySeconds, per message or per queue', async () => {
    const { url } = await createQueue(h.sqs, 'delay', { DelaySeconds: '1' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue-delay' }));
    await h.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'no-delay', DelaySeconds: 0 }),
    );
    expect(await counts(url)).toEqual({ visible: 1, inflight: 0, delayed: 1 });
    const now = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(now.Messages?.map((m) => m.Body)).toEqual(['no-delay']);
    await delay(1_050);
    const later = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(later.Messages?.map((m) => m.Body)).toEqual(['queue-delay']);
  });

  it('keeps unicode bodies intact and rejects characters SQS does not allow', async () => {
    const { url } = await createQueue(h.sqs, 'unicode');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'Héllo 😀 \t\n' }));
    const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(Messages?.[0]?.Body).toBe('Héllo 😀 \t\n');
    const error = await rejection(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0000 char' })),
    );
    expect(error.name).toBe('InvalidMessageContents');
  });

  it.each([
    ['a reserved name', { 'AWS.thing': { DataType: 'String', StringValue: 'x' } }],
    ['an unknown type', { n: { DataType: 'Decimal', StringValue: '1' } }],
    ['a non-numeric Number', { n: { DataType: 'Number', StringValue: 'abc' } }],
    ['an empty value', { n: { DataType: 'String', StringValue: '' } }],
  ])('rejects message attributes with %s', async (_label, attributes) => {
    const { url } = await createQueue(h.sqs, 'badattr');
    const error = await rejection(
      h.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('accepts a 1 MiB message and rejects one byte more, attributes included', async () => {
    const { url } = await createQueue(h.sqs, 'size');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1_048_576) }));
    const over = await rejection(
      h.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x'.repeat(1_048_576 - 10),
          MessageAttributes: { k: { DataType: 'String', StringValue: 'abcd' } },
        }),
      ),
    );
    expect(over.name).toBe('InvalidParameterValue');
    expect(over.message).toContain('shorter than 1048576 bytes');
  });

  it('enforces the queue MaximumMessageSize', async () => {
    const { url } = await createQueue(h.sqs, 'small', { MaximumMessageSize: '1024' });
    const error = await rejection(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });
});
