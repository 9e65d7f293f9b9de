import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { replaceNodeVersionNotice } from './node-notice';

export interface AwsClientOptions {
  region: string;
  /** One edge endpoint for every service (the local stack); unset on AWS. */
  endpoint?: string;
  /** Fail a request that gets no response in this many ms (long polls add their wait). */
  requestTimeoutMs?: number;
  /** Concurrent sockets per client. */
  maxSockets?: number;
  /** Retries of throttled or failed calls (SDK standard mode). */
  maxAttempts?: number;
}

/** Static credentials are only for the local stack; on AWS the task role provides them. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function baseConfig(options: AwsClientOptions) {
  // Before the client exists: the SDK checks the Node version while it builds one.
  replaceNodeVersionNotice();
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new Agent(agentOptions),
    }),
  };
}

/**
 * An SQS client. Long polls need `requestTimeoutMs` above the wait time.
 *
 * `md5: false`: the SDK otherwise hashes every body it sends (against the MD5 SQS answers) and
 * every body it receives, a CPU cost per message. TLS already guarantees the bytes arrive
 * unchanged, and each consumer validates the envelope it decodes (a schema check, not a hash).
 */
export function createSqsClient(options: AwsClientOptions): SQSClient {
  return new SQSClient({ ...baseConfig(options), md5: false });
}

export function createSnsClient(options: AwsClientOptions): SNSClient {
  return new SNSClient(baseConfig(options));
}

/** A plain DynamoDB client, for table-level calls (the document client is for items). */
export function createDynamoDbClient(options: AwsClientOptions): DynamoDBClient {
  return new DynamoDBClient(baseConfig(options));
}

/** A DynamoDB document client that drops undefined attributes instead of failing on them. */
export function createDynamoDbDocumentClient(options: AwsClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
