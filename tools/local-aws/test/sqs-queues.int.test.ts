import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('SQS queues', () => {
  it('creates a queue with a LocalStack-style URL and ARN', async () => {
    const name = uniqueName('create');
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(QueueUrl).toBe(`${h.aws.url}/000000000000/${name}`);
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    expect(Attributes).toEqual({ QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}` });
  });

  it('answers CreateQueue again for the same attributes and QueueNameExists for different ones', async () => {
    const name = uniqueName('idempotent');
    const first = await h.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5' } }),
    );
    const again = await h.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5' } }),
    );
    expect(again.QueueUrl).toBe(first.QueueUrl);
    const error = await rejection(
      h.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '6' } }),
      ),
    );
    expect(error.name).toBe('QueueNameExists');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it.each([
    ['bad name!', 'InvalidParameterValue'],
    ['x'.repeat(81), 'InvalidParameterValue'],
    ['orders.fifo', 'UnsupportedOperation'],
  ])('rejects the queue name %s with %s', async (name, code) => {
    const error = await rejection(h.sqs.send(new CreateQueueCommand({ QueueName: name })));
    expect(error.name).toBe(code);
  });

  it('answers QueueDoesNotExist (400) for an unknown queue, whatever the operation', async () => {
    const missing = `${h.aws.url}/000000000000/${uniqueName('missing')}`;
    const errors = await Promise.all([
      rejection(h.sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName('missing') }))),
      rejection(h.sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' }))),
      rejection(h.sqs.send(new ReceiveMessageCommand({ QueueUrl: missing }))),
    ]);
    for (const error of errors) {
      expect(error.name).toBe('QueueDoesNotExist');
      expect(error.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(error.$metadata?.httpStatusCode).toBe(400);
    }
  });

  it('accepts a QueueUrl naming another host for the same edge', async () => {
    const { url } = await createQueue(h.sqs, 'anyhost');
    const elsewhere = url.replace('127.0.0.1', 'localhost');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: elsewhere, MessageBody: 'hi' }));
    const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(Messages?.[0]?.Body).toBe('hi');
  });

  it('lists queues by prefix and paginates with MaxResults', async () => {
    const prefix = uniqueName('list');
    for (const suffix of ['a', 'b', 'c'])
      await h.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${suffix}` }));
    const all = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(all.QueueUrls?.map((url) => url.split('/').at(-1))).toEqual([
      `${prefix}-a`,
      `${prefix}-b`,
      `${prefix}-c`,
    ]);
    const page1 = await h.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }),
    );
    const page2 = await h.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: page1.NextToken }),
    );
    expect(page1.QueueUrls).toHaveLength(2);
    expect(page2.QueueUrls).toEqual([all.QueueUrls?.[2]]);
    expect(page2.NextToken).toBeUndefined();
  });

  it('returns All attributes, or only the named ones', async () => {
    const { url } = await createQueue(h.sqs, 'attrs', {
      VisibilityTimeout: '7',
      DelaySeconds: '0',
    });
    const all = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(all.Attributes).toMatchObject({
      VisibilityTimeout: '7',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(all.Attributes?.CreatedTimestamp)).toBeGreaterThan(1_600_000_000);
    const { url: kms } = await createQueue(h.sqs, 'kms', { KmsMasterKeyId: 'alias/aws/sqs' });
    const kmsAttributes = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: kms, AttributeNames: ['SqsManagedSseEnabled'] }),
    );
    expect(kmsAttributes.Attributes).toEqual({ SqsManagedSseEnabled: 'false' });
    const some = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(some.Attributes).toEqual({ VisibilityTimeout: '7' });
  });

  it('sets attributes and rejects unknown names and invalid values', async () => {
    const { url } = await createQueue(h.sqs, 'setattrs');
    await h.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { ReceiveMessageWaitTimeSeconds: '3' },
      }),
    );
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ReceiveMessageWaitTimeSeconds'],
      }),
    );
    expect(Attributes?.ReceiveMessageWaitTimeSeconds).toBe('3');
    const badValue = await rejection(
      h.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { VisibilityTimeout: '99999' },
        }),
      ),
    );
    expect(badValue.name).toBe('InvalidAttributeValue');
    const badName = await rejection(
      h.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { Colour: 'blue' } as Record<string, string>,
        }),
      ),
    );
    expect(badName.name).toBe('InvalidAttributeName');
    const badRead = await rejection(
      h.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] }),
      ),
    );
    expect(badRead.name).toBe('InvalidAttributeName');
  });

  it('requires the dead-letter target of a RedrivePolicy to exist', async () => {
    const policy = JSON.stringify({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nowhere',
      maxReceiveCount: 3,
    });
    const error = await rejection(
      h.sqs.send(
        new CreateQueueCommand({
          QueueName: uniqueName('redrive'),
          Attributes: { RedrivePolicy: policy },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('lists the queues that dead-letter into a queue', async () => {
    const dlq = await createQueue(h.sqs, 'dlq');
    const source = await createQueue(h.sqs, 'source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: '2' }),
    });
    const { queueUrls } = await h.sqs.send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }),
    );
    expect(queueUrls).toEqual([source.url]);
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: 2,
    });
  });

  it('purges every message and deletes queues', async () => {
    const { url } = await createQueue(h.sqs, 'purge');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b' }));
    await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await h.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
    const again = await rejection(h.sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(again.name).toBe('PurgeQueueInProgress');
    expect(again.$metadata?.httpStatusCode).toBe(400);
    await h.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const error = await rejection(
      h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })),
    );
    expect(error.name).toBe('QueueDoesNotExist');
  });

  it('tags queues', async () => {
    const { url } = await createQueue(h.sqs, 'tags');
    await h.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'herald' } }));
    const { Tags } = await h.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    expect(Tags).toEqual({ team: 'herald' });
  });
});
