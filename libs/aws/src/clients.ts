import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { replaceNodeVersionNotice } from './node-notice';
import { installSqsFastPath } from './sqs-fast-path';

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

export interface SqsClientOptions extends AwsClientOptions {
  /**
   * Send the message-path commands (send, receive, delete, change visibility) as one signed HTTP
   * attempt without the SDK's middleware, falling back to the SDK on anything but a 2xx
   * (`sqs-fast-path.ts`). On in both services; off by default, so tools and the bench's raw-SDK
   * baselines use the SDK alone.
   */
  fastPath?: boolean;
}

/** Static credentials are only for the local stack; on AWS the task role provides them. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const CONNECTION_TIMEOUT_MS = 3_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function agents(options: AwsClientOptions) {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
  return { httpAgent: new HttpAgent(agentOptions), httpsAgent: new Agent(agentOptions) };
}

function baseConfig(options: AwsClientOptions, sockets = agents(options)) {
  // Before the client exists: the SDK checks the Node version while it builds one.
  replaceNodeVersionNotice();
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ...sockets,
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
export function createSqsClient(options: SqsClientOptions): SQSClient {
  const sockets = agents(options);
  const client = new SQSClient({
    ...baseConfig(options, sockets),
    md5: false,
    // The fast path skips most of the stack; building it per call would cost more than it saves.
    ...(options.fastPath ? { cacheMiddleware: true } : {}),
  });
  if (options.fastPath)
    installSqsFastPath(client, {
      region: options.region,
      ...sockets,
      connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
  return client;
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
