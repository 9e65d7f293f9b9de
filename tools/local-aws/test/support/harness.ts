import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../src/index';

/** A running edge on an ephemeral port and real SDK v3 clients pointed at it. */
export interface Harness {
  readonly aws: LocalAws;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
  close(): Promise<void>;
}

/** Client settings for the emulator: dummy credentials, no retries so errors surface at once. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  };
}

export async function startHarness(options: LocalAwsOptions = {}): Promise<Harness> {
  const aws = await startLocalAws({ port: 0, ...options });
  const config = clientConfig(aws.url);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const dynamodb = new DynamoDBClient(config);
  return {
    aws,
    sqs,
    sns,
    dynamodb,
    async close() {
      sqs.destroy();
      sns.destroy();
      dynamodb.destroy();
      await aws.close();
    },
  };
}

let counter = 0;

/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a fresh queue and returns its URL and ARN. */
export async function createQueue(
  sqs: SQSClient,
  prefix: string,
  attributes?: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(prefix), Attributes: attributes }),
  );
  const url = QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: Attributes!.QueueArn! };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
