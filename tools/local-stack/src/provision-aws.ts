import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoDbClient, createSnsClient, createSqsClient } from '@herald/aws';
import { METADATA_KEYS, QUEUE_SETTINGS } from '@herald/config';
import { metadataTableDefinition } from '@herald/metadata';

export interface AwsResourceNames {
  queue: string;
  dlq: string;
  alertsTopic: string;
  opsTopic: string;
  table: string;
  /** Address of the email subscriptions on both topics (they land in the edge's mailbox). */
  email: string;
}

export interface AwsResources {
  queueUrl: string;
  dlqUrl: string;
  alertsTopicArn: string;
  opsTopicArn: string;
  metadataTable: string;
}

/** Creates the queue + DLQ (redrive), the topics with email subscriptions, and the table. Idempotent. */
export async function provisionAws(
  endpoint: string,
  region: string,
  names: AwsResourceNames,
): Promise<AwsResources> {
  const config = { endpoint, region };
  const sqs = createSqsClient(config);
  const sns = createSnsClient(config);
  const dynamodb = createDynamoDbClient(config);
  try {
    const dlqUrl = await createQueue(sqs, names.dlq, {
      MessageRetentionPeriod: String(QUEUE_SETTINGS.dlqRetentionSeconds),
    });
    const dlqArn = await queueArn(sqs, dlqUrl);
    const queueUrl = await createQueue(sqs, names.queue, {
      VisibilityTimeout: String(QUEUE_SETTINGS.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(QUEUE_SETTINGS.retentionSeconds),
      ReceiveMessageWaitTimeSeconds: String(QUEUE_SETTINGS.receiveWaitTimeSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: QUEUE_SETTINGS.maxReceiveCount,
      }),
    });
    const alertsTopicArn = await createTopic(sns, names.alertsTopic, names.email);
    const opsTopicArn = await createTopic(sns, names.opsTopic, names.email);
    await createTable(dynamodb, names.table);
    return { queueUrl, dlqUrl, alertsTopicArn, opsTopicArn, metadataTable: names.table };
  } finally {
    sqs.destroy();
    sns.destroy();
    dynamodb.destroy();
  }
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`no QueueArn for ${queueUrl}`);
  return arn;
}

async function createTopic(sns: SNSClient, name: string, email: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (!TopicArn) throw new Error(`CreateTopic ${name} returned no TopicArn`);
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: email }));
  return TopicArn;
}

async function createTable(dynamodb: DynamoDBClient, name: string): Promise<void> {
  try {
    await dynamodb.send(new CreateTableCommand(metadataTableDefinition(name)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  await enableTimeToLive(dynamodb, name);
}

/** TTL on the attribute the CDK app sets (`timeToLiveAttribute`), unless already enabled. */
async function enableTimeToLive(dynamodb: DynamoDBClient, name: string): Promise<void> {
  const { TimeToLiveDescription } = await dynamodb.send(
    new DescribeTimeToLiveCommand({ TableName: name }),
  );
  if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: METADATA_KEYS.ttlAttribute },
    }),
  );
}
