import {
  CreateTopicCommand,
  SNSClient,
  SubscribeCommand,
  PublishCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;
let sqs: SQSClient;
let sns: SNSClient;

beforeAll(async () => {
  h = await startHarness();
  const config = { ...clientConfig(h.aws.url), region: 'eu-west-1' };
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
});

afterAll(async () => {
  sqs.destroy();
  sns.destroy();
  await h.close();
});

describe('regions', () => {
  it('puts the region a request was signed for into the ARNs of new queues and topics', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('eu') }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    expect(Attributes?.QueueArn).toMatch(/^arn:aws:sqs:eu-west-1:000000000000:eu-/);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('eu') }));
    expect(TopicArn).toMatch(/^arn:aws:sns:eu-west-1:000000000000:eu-/);

    // The regional ARNs work together: the topic delivers to the queue of its region.
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello eu' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(JSON.parse(Messages![0]!.Body!)).toMatchObject({ TopicArn, Message: 'hello eu' });
  });

  it('keeps the edge region for requests signed for it', async () => {
    const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: uniqueName('us') }));
    expect(TopicArn).toMatch(/^arn:aws:sns:us-east-1:/);
  });
});
