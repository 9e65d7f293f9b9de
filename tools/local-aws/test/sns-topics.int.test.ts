import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  // The dead-letter case posts to an endpoint that refuses, which could never confirm.
  h = await startHarness({ autoConfirmSubscriptions: true });
});

afterAll(async () => {
  await h.close();
});

async function topic(tags?: { Key: string; Value: string }[]): Promise<string> {
  const { TopicArn } = await h.sns.send(
    new CreateTopicCommand({ Name: uniqueName('topic'), Tags: tags }),
  );
  return TopicArn!;
}

describe('SNS topic tags', () => {
  it('tags at creation, adds, lists and removes tags', async () => {
    const arn = await topic([{ Key: 'team', Value: 'herald' }]);
    await h.sns.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'local' }] }),
    );
    await h.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'absent'] }));
    const { Tags } = await h.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(Tags).toEqual([{ Key: 'env', Value: 'local' }]);
  });

  it('refuses CreateTopic of an existing topic with different tags, and accepts the same ones', async () => {
    const name = uniqueName('conflict');
    const tags = [{ Key: 'team', Value: 'herald' }];
    const first = await h.sns.send(new CreateTopicCommand({ Name: name, Tags: tags }));
    const again = await h.sns.send(new CreateTopicCommand({ Name: name, Tags: tags }));
    expect(again.TopicArn).toBe(first.TopicArn);
    const error = await rejection(
      h.sns.send(new CreateTopicCommand({ Name: name, Tags: [{ Key: 'team', Value: 'other' }] })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('Topic already exists with different tags');
  });

  it('enforces 50 tags per topic, the key rules and known resources', async () => {
    const arn = await topic();
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await h.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: fifty }));
    const over = await rejection(
      h.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k50', Value: 'v' }] })),
    );
    expect(over.name).toBe('TagLimitExceededException');
    const reserved = await rejection(
      h.sns.send(
        new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'aws:x', Value: 'v' }] }),
      ),
    );
    expect(reserved.name).toBe('InvalidParameterException');
    const tooLong = await rejection(
      h.sns.send(
        new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k0', Value: 'v'.repeat(257) }] }),
      ),
    );
    expect(tooLong.name).toBe('InvalidParameterException');
    const unknown = await rejection(
      h.sns.send(
        new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:none' }),
      ),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
  });
});

describe('SNS attributes and Unsubscribe', () => {
  it('reports Policy and EffectiveDeliveryPolicy of a topic, SubscriptionPrincipal of a subscription', async () => {
    const arn = await topic();
    const { Attributes } = await h.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({
      Version: '2008-10-17',
      Statement: [expect.objectContaining({ Resource: arn, Effect: 'Allow' })],
    });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!)).toMatchObject({
      http: { defaultHealthyRetryPolicy: { numRetries: 3 } },
    });
    const queue = await createQueue(h.sqs, 'principal');
    const { SubscriptionArn } = await h.sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    const subscription = await h.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(subscription.Attributes?.SubscriptionPrincipal).toBe('arn:aws:iam::000000000000:root');
  });

  it('refuses filter policies past 5 keys or 150 combinations', async () => {
    const arn = await topic();
    const queue = await createQueue(h.sqs, 'limits');
    const tooMany = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [key, ['x']]));
    const error = await rejection(
      h.sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { FilterPolicy: JSON.stringify(tooMany) },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('more than 5 keys');
  });

  it('validates a subscription RedrivePolicy', async () => {
    const arn = await topic();
    const queue = await createQueue(h.sqs, 'redrive-check');
    for (const policy of ['{not json', '{"deadLetterTargetArn":"arn:aws:sns:us-east-1:1:x"}', '{}'])
      expect(
        (
          await rejection(
            h.sns.send(
              new SubscribeCommand({
                TopicArn: arn,
                Protocol: 'sqs',
                Endpoint: queue.arn,
                Attributes: { RedrivePolicy: policy },
              }),
            ),
          )
        ).name,
      ).toBe('InvalidParameterException');
  });

  it.each([
    ['a deleted queue', 'sqs', 'NonExistentQueue'],
    ['an http endpoint that refuses', 'http', 'EndpointUnavailable'],
  ])(
    'dead-letters what cannot reach %s to the subscription DLQ',
    async (_label, protocol, code) => {
      const arn = await topic();
      const dlq = await createQueue(h.sqs, 'sub-dlq');
      const target = await createQueue(h.sqs, 'gone');
      await h.sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
      const endpoint = protocol === 'sqs' ? target.arn : 'http://127.0.0.1:9/refused';
      await h.sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: protocol,
          Endpoint: endpoint,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
        }),
      );
      await h.sns.send(new PublishCommand({ TopicArn: arn, Message: 'undeliverable' }));
      const { Messages } = await h.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlq.url,
          WaitTimeSeconds: 10,
          MessageAttributeNames: ['All'],
        }),
      );
      expect(JSON.parse(Messages![0]!.Body!)).toMatchObject({
        TopicArn: arn,
        Message: 'undeliverable',
      });
      expect(Messages![0]!.MessageAttributes?.ErrorCode?.StringValue).toBe(code);
    },
  );

  it('unsubscribes idempotently and refuses a malformed ARN', async () => {
    const arn = await topic();
    const queue = await createQueue(h.sqs, 'unsub');
    const { SubscriptionArn } = await h.sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    await h.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await h.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await h.sns.send(new UnsubscribeCommand({ SubscriptionArn: `${arn}:never-existed` }));
    const bad = await rejection(
      h.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'nonsense' })),
    );
    expect(bad.name).toBe('InvalidParameterException');
  });
});
