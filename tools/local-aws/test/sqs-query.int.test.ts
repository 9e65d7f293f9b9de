// The SQS query protocol, driven by @aws-sdk/client-sqs 3.445 (the last releases before the SDK
// switched SQS to AWS JSON 1.0): its parser reads the XML, its middleware checks the MD5s, and
// the current (JSON) client sees the same queues.
import * as Json from '@aws-sdk/client-sqs';
import * as Query from '@aws-sdk/client-sqs-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;
let query: Query.SQSClient;

beforeAll(async () => {
  h = await startHarness();
  query = new Query.SQSClient(clientConfig(h.aws.url));
});

afterAll(async () => {
  query.destroy();
  await h.close();
});

async function rawQuery(form: Record<string, string>, path = '/') {
  const response = await fetch(`${h.aws.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, text: await response.text() };
}

describe('SQS over the query protocol', () => {
  it('speaks the query protocol: form in, XML in the SQS namespace out', async () => {
    const name = uniqueName('wire');
    const { status, text } = await rawQuery({
      Action: 'CreateQueue',
      Version: '2012-11-05',
      QueueName: name,
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '7',
    });
    expect(status).toBe(200);
    expect(text).toContain(
      '<CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><CreateQueueResult><QueueUrl>',
    );
    const { Attributes } = await h.sqs.send(
      new Json.GetQueueAttributesCommand({
        QueueUrl: `${h.aws.url}/000000000000/${name}`,
        AttributeNames: ['VisibilityTimeout'],
      }),
    );
    expect(Attributes).toEqual({ VisibilityTimeout: '7' });
  });

  it('creates, tags, lists and configures queues that the JSON client sees the same', async () => {
    const name = uniqueName('both');
    const created = await query.send(
      new Query.CreateQueueCommand({
        QueueName: name,
        Attributes: { DelaySeconds: '2', MessageRetentionPeriod: '600' },
        tags: { team: 'herald' },
      }),
    );
    const url = created.QueueUrl!;
    expect(url).toBe(`${h.aws.url}/000000000000/${name}`);
    expect((await h.sqs.send(new Json.GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    expect((await query.send(new Query.GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(
      url,
    );

    await query.send(new Query.TagQueueCommand({ QueueUrl: url, Tags: { env: 'local' } }));
    await query.send(new Query.UntagQueueCommand({ QueueUrl: url, TagKeys: ['team'] }));
    expect((await h.sqs.send(new Json.ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({
      env: 'local',
    });
    expect((await query.send(new Query.ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({
      env: 'local',
    });

    await query.send(
      new Query.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '0' } }),
    );
    const viaQuery = await query.send(
      new Query.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const viaJson = await h.sqs.send(
      new Json.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(viaQuery.Attributes).toEqual(viaJson.Attributes);
    expect(viaQuery.Attributes).toMatchObject({ DelaySeconds: '0', MessageRetentionPeriod: '600' });

    const listed = await query.send(new Query.ListQueuesCommand({ QueueNamePrefix: name }));
    expect(listed.QueueUrls).toEqual([url]);
    const none = await query.send(new Query.ListQueuesCommand({ QueueNamePrefix: 'no-such-' }));
    expect(none.QueueUrls).toBeUndefined();
  });

  it('sends with attributes, receives and deletes with the same MD5s as the JSON side', async () => {
    const { QueueUrl: url } = await query.send(
      new Query.CreateQueueCommand({ QueueName: uniqueName('md5') }),
    );
    const attributes = {
      timestamp: { DataType: 'Number', StringValue: '1493147359900' },
      'trace.id': { DataType: 'String.custom', StringValue: 'abc-123' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250]) },
    };
    const viaQuery = await query.send(
      new Query.SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'derp & <ünïcode>',
        MessageAttributes: attributes,
      }),
    );
    const viaJson = await h.sqs.send(
      new Json.SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'derp & <ünïcode>',
        MessageAttributes: attributes,
      }),
    );
    expect(viaQuery.MD5OfMessageBody).toBe(viaJson.MD5OfMessageBody);
    expect(viaQuery.MD5OfMessageAttributes).toBe(viaJson.MD5OfMessageAttributes);
    expect(viaQuery.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { Messages } = await query.send(
      new Query.ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(2);
    const first = Messages![0]!;
    expect(first).toMatchObject({
      Body: 'derp & <ünïcode>',
      MD5OfBody: viaQuery.MD5OfMessageBody,
      MD5OfMessageAttributes: viaQuery.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1', SenderId: 'AKIDLOCAL' },
    });
    expect(first.MessageAttributes?.timestamp).toEqual(attributes.timestamp);
    expect(first.MessageAttributes?.blob?.BinaryValue).toEqual(attributes.blob.BinaryValue);

    const counts = await h.sqs.send(
      new Json.GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(counts.Attributes).toEqual({ ApproximateNumberOfMessagesNotVisible: '2' });
    for (const message of Messages!)
      await query.send(
        new Query.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
    const after = await h.sqs.send(
      new Json.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(after.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('runs batches entry by entry, with Successful and Failed entries', async () => {
    const { QueueUrl: url } = await query.send(
      new Query.CreateQueueCommand({ QueueName: uniqueName('batch') }),
    );
    const sent = await query.send(
      new Query.SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          {
            Id: 'a',
            MessageBody: 'one',
            MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } },
          },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 0 },
          { Id: 'bad', MessageBody: 'nul \u0000 inside' },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true }),
    ]);
    const { Messages } = await h.sqs.send(
      new Json.ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(Messages?.map((message) => message.Body).sort()).toEqual(['one', 'two']);
    const handles = Messages!.map((message, index) => ({
      Id: `m${index}`,
      ReceiptHandle: message.ReceiptHandle!,
    }));
    const changed = await query.send(
      new Query.ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: handles.map((entry) => ({ ...entry, VisibilityTimeout: 30 })),
      }),
    );
    expect(changed.Successful).toHaveLength(2);
    const deleted = await query.send(
      new Query.DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [...handles, { Id: 'junk', ReceiptHandle: 'not-a-handle' }],
      }),
    );
    expect(deleted.Successful?.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(deleted.Failed?.[0]).toMatchObject({ Id: 'junk', Code: 'ReceiptHandleIsInvalid' });
  });

  it('answers errors in the query shape, which the old SDK maps to its exception classes', async () => {
    const missing = await rejection(
      query.send(new Query.GetQueueUrlCommand({ QueueName: 'nope' })),
    );
    expect(missing).toBeInstanceOf(Query.QueueDoesNotExist);
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    // Operations whose old model lists no such error surface the query code, as against AWS.
    const unmodelled = await rejection(
      query.send(
        new Query.GetQueueAttributesCommand({
          QueueUrl: `${h.aws.url}/000000000000/nope`,
          AttributeNames: ['All'],
        }),
      ),
    );
    expect(unmodelled.name).toBe('AWS.SimpleQueueService.NonExistentQueue');

    const { status, text } = await rawQuery({
      Action: 'GetQueueUrl',
      Version: '2012-11-05',
      QueueName: 'nope',
    });
    expect(status).toBe(400);
    expect(text).toMatch(
      /^<\?xml version="1\.0"\?><ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>/,
    );

    const { QueueUrl: url } = await query.send(
      new Query.CreateQueueCommand({ QueueName: uniqueName('errors') }),
    );
    const badWait = await rejection(
      query.send(new Query.ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })),
    );
    expect(badWait.name).toBe('InvalidParameterValue');
    const unknown = await rawQuery({ Action: 'FlyQueue', Version: '2012-11-05' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(unknown.text).toContain('queue.amazonaws.com/doc/2012-11-05/');
  });

  it('takes the queue from the request path when the form names none', async () => {
    const name = uniqueName('path');
    await h.sqs.send(new Json.CreateQueueCommand({ QueueName: name }));
    const { status, text } = await rawQuery(
      { Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'by path' },
      `/000000000000/${name}`,
    );
    expect(status).toBe(200);
    expect(text).toContain('<MD5OfMessageBody>');
    const { Messages } = await h.sqs.send(
      new Json.ReceiveMessageCommand({ QueueUrl: `${h.aws.url}/000000000000/${name}` }),
    );
    expect(Messages?.[0]?.Body).toBe('by path');
  });

  it('purges and deletes queues, and lists dead-letter sources', async () => {
    const { QueueUrl: dlq } = await query.send(
      new Query.CreateQueueCommand({ QueueName: uniqueName('dlq') }),
    );
    const { Attributes } = await query.send(
      new Query.GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
    );
    const { QueueUrl: source } = await query.send(
      new Query.CreateQueueCommand({
        QueueName: uniqueName('source'),
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes!.QueueArn,
            maxReceiveCount: 3,
          }),
        },
      }),
    );
    const sources = await query.send(
      new Query.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }),
    );
    expect(sources.queueUrls).toEqual([source]);
    await query.send(new Query.SendMessageCommand({ QueueUrl: source, MessageBody: 'x' }));
    await query.send(new Query.PurgeQueueCommand({ QueueUrl: source }));
    await query.send(new Query.DeleteQueueCommand({ QueueUrl: source }));
    const gone = await rejection(h.sqs.send(new Json.GetQueueUrlCommand({ QueueName: 'x' })));
    expect(gone.name).toBe('QueueDoesNotExist');
    const deleted = await rejection(
      h.sqs.send(new Json.ListQueueTagsCommand({ QueueUrl: source })),
    );
    expect(deleted.name).toBe('QueueDoesNotExist');
  });
});
