import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';

// Debian's AWS CLI 2.9 speaks the SQS query protocol (the CLI moved to JSON in 2.13.34).
const AWS_CLI = '/usr/bin/aws';
// Each call starts a Python process: 1–3 s on a loaded machine.
const CALL_MS = 60_000;
const STEP_MS = 240_000;

interface CliAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let aws: LocalAws | undefined;
let home: string;
let env: NodeJS.ProcessEnv;
const battery: string[] = [];

beforeAll(async () => {
  if (!existsSync(AWS_CLI))
    throw new Error(
      `${AWS_CLI} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does.`,
    );
  aws = await startLocalAws({ port: 0 });
  home = await mkdtemp(join(tmpdir(), 'herald-awscli-'));
  await writeFile(join(home, 'config'), '');
  await writeFile(join(home, 'credentials'), '');
  // Nothing of the caller's AWS setup leaks in: dummy keys, empty config files.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
  );
  env = {
    ...inherited,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
});

afterAll(async () => {
  // The battery, call by call, for the record.
  console.log(`AWS CLI battery against the edge:\n${battery.join('\n')}`);
  await aws?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The edge's URL (beforeAll failed when there is none). */
function url(): string {
  if (!aws) throw new Error('the edge did not start');
  return aws.url;
}

function run(args: readonly string[]): Promise<CliAnswer> {
  const full = [
    ...args,
    '--endpoint-url',
    url(),
    '--region',
    'us-east-1',
    '--no-cli-pager',
    '--output',
    'json',
  ];
  return new Promise((resolve) => {
    execFile(AWS_CLI, full, { env, timeout: CALL_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a call that must succeed and returns its JSON answer ({} for an empty one). */
async function ok(args: readonly string[]): Promise<Record<string, unknown>> {
  const answer = await run(args);
  const label = args.slice(0, 2).join(' ');
  battery.push(
    `${answer.code === 0 ? 'ok  ' : 'FAIL'} ${label} (exit ${answer.code}) ${answer.stderr.trim()}`,
  );
  expect(answer.stderr.trim(), `${label} wrote to stderr`).toBe('');
  expect(answer.code, `${label} exit code`).toBe(0);
  return answer.stdout.trim() === '' ? {} : (JSON.parse(answer.stdout) as Record<string, unknown>);
}

/** Runs a call that must fail with the AWS error `code`. */
async function fails(args: readonly string[], code: string): Promise<void> {
  const answer = await run(args);
  const label = args.slice(0, 2).join(' ');
  const named = answer.stderr.includes(`An error occurred (${code})`);
  battery.push(
    `${answer.code === 254 && named ? 'ok  ' : 'FAIL'} ${label} → ${answer.stderr.trim()}`,
  );
  expect(answer.code, `${label} exit code`).toBe(254);
  expect(answer.stderr).toContain(`An error occurred (${code})`);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe("Debian's AWS CLI 2.9 against the edge", () => {
  it(
    'runs the SQS calls over the query protocol',
    async () => {
      const jobs = await ok(['sqs', 'create-queue', '--queue-name', 'cli-jobs']);
      expect(jobs.QueueUrl).toBe(`${url()}/000000000000/cli-jobs`);
      const jobsUrl = jobs.QueueUrl as string;
      const dlq = await ok(['sqs', 'create-queue', '--queue-name', 'cli-jobs-dlq']);
      const dlqUrl = dlq.QueueUrl as string;
      expect(await ok(['sqs', 'get-queue-url', '--queue-name', 'cli-jobs'])).toEqual({
        QueueUrl: jobsUrl,
      });
      const listed = await ok(['sqs', 'list-queues', '--queue-name-prefix', 'cli-']);
      expect(listed.QueueUrls).toEqual([jobsUrl, dlqUrl]);
      const dlqAttributes = await ok([
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        dlqUrl,
        '--attribute-names',
        'All',
      ]);
      const dlqArn = (dlqAttributes.Attributes as Record<string, string>).QueueArn;
      expect(dlqArn).toBe('arn:aws:sqs:us-east-1:000000000000:cli-jobs-dlq');
      expect(dlqAttributes.Attributes).toMatchObject({
        SqsManagedSseEnabled: 'true',
        VisibilityTimeout: '30',
      });
      await ok([
        'sqs',
        'set-queue-attributes',
        '--queue-url',
        jobsUrl,
        '--attributes',
        JSON.stringify({
          VisibilityTimeout: '5',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }),
        }),
      ]);
      expect(
        await ok([
          'sqs',
          'get-queue-attributes',
          '--queue-url',
          jobsUrl,
          '--attribute-names',
          'VisibilityTimeout',
        ]),
      ).toEqual({ Attributes: { VisibilityTimeout: '5' } });
      expect(
        await ok(['sqs', 'list-dead-letter-source-queues', '--queue-url', dlqUrl]),
      ).toMatchObject({ queueUrls: [jobsUrl] });
      await ok(['sqs', 'tag-queue', '--queue-url', jobsUrl, '--tags', 'team=herald']);
      expect(await ok(['sqs', 'list-queue-tags', '--queue-url', jobsUrl])).toEqual({
        Tags: { team: 'herald' },
      });
      const sent = await ok([
        'sqs',
        'send-message',
        '--queue-url',
        jobsUrl,
        '--message-body',
        'hello',
        '--message-attributes',
        JSON.stringify({ kind: { DataType: 'String', StringValue: 'greeting' } }),
      ]);
      expect(sent.MD5OfMessageBody).toBe(md5('hello'));
      expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/u);
      const batch = await ok([
        'sqs',
        'send-message-batch',
        '--queue-url',
        jobsUrl,
        '--entries',
        'Id=a,MessageBody=one',
        'Id=b,MessageBody=two',
      ]);
      expect((batch.Successful as unknown[]).length).toBe(2);
      const received = await ok([
        'sqs',
        'receive-message',
        '--queue-url',
        jobsUrl,
        '--max-number-of-messages',
        '10',
        '--message-attribute-names',
        'All',
        '--attribute-names',
        'All',
        '--wait-time-seconds',
        '1',
        // The queue's own 5 s would expire between CLI calls on a loaded machine (each aws call
        // is a Python start): keep the messages in flight for the rest of the test.
        '--visibility-timeout',
        '300',
      ]);
      const messages = received.Messages as {
        Body: string;
        ReceiptHandle: string;
        MD5OfMessageAttributes?: string;
        MessageAttributes?: Record<string, { StringValue: string }>;
        Attributes: Record<string, string>;
      }[];
      expect(messages.map((message) => message.Body).sort()).toEqual(['hello', 'one', 'two']);
      const hello = messages.find((message) => message.Body === 'hello')!;
      expect(hello.MessageAttributes?.kind?.StringValue).toBe('greeting');
      expect(hello.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
      expect(hello.Attributes.ApproximateReceiveCount).toBe('1');
      await ok([
        'sqs',
        'change-message-visibility',
        '--queue-url',
        jobsUrl,
        '--receipt-handle',
        hello.ReceiptHandle,
        '--visibility-timeout',
        '0',
      ]);
      await ok([
        'sqs',
        'delete-message',
        '--queue-url',
        jobsUrl,
        '--receipt-handle',
        hello.ReceiptHandle,
      ]);
      const others = messages.filter((message) => message !== hello);
      const deleted = await ok([
        'sqs',
        'delete-message-batch',
        '--queue-url',
        jobsUrl,
        '--entries',
        ...others.map((message, index) => `Id=m${index},ReceiptHandle=${message.ReceiptHandle}`),
      ]);
      expect((deleted.Successful as unknown[]).length).toBe(2);
      expect(
        await ok([
          'sqs',
          'get-queue-attributes',
          '--queue-url',
          jobsUrl,
          '--attribute-names',
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ]),
      ).toEqual({
        Attributes: {
          ApproximateNumberOfMessages: '0',
          ApproximateNumberOfMessagesNotVisible: '0',
        },
      });
      await ok(['sqs', 'purge-queue', '--queue-url', jobsUrl]);
      await fails(
        ['sqs', 'purge-queue', '--queue-url', jobsUrl],
        'AWS.SimpleQueueService.PurgeQueueInProgress',
      );
      await fails(
        ['sqs', 'get-queue-url', '--queue-name', 'cli-absent'],
        'AWS.SimpleQueueService.NonExistentQueue',
      );
      await ok(['sqs', 'delete-queue', '--queue-url', jobsUrl]);
    },
    STEP_MS,
  );

  it(
    'runs the SNS calls',
    async () => {
      const queue = await ok(['sqs', 'create-queue', '--queue-name', 'cli-alerts-inbox']);
      const queueUrl = queue.QueueUrl as string;
      const queueArn = 'arn:aws:sqs:us-east-1:000000000000:cli-alerts-inbox';
      const created = await ok([
        'sns',
        'create-topic',
        '--name',
        'cli-alerts',
        '--tags',
        'Key=team,Value=herald',
      ]);
      const topicArn = created.TopicArn as string;
      expect(topicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-alerts');
      expect(await ok(['sns', 'list-topics'])).toMatchObject({
        Topics: expect.arrayContaining([{ TopicArn: topicArn }]) as unknown,
      });
      const subscribed = await ok([
        'sns',
        'subscribe',
        '--topic-arn',
        topicArn,
        '--protocol',
        'sqs',
        '--notification-endpoint',
        queueArn,
        '--attributes',
        'RawMessageDelivery=true',
      ]);
      const subscriptionArn = subscribed.SubscriptionArn as string;
      expect(subscriptionArn).toMatch(new RegExp(`^${topicArn}:`, 'u'));
      const attributes = await ok(['sns', 'get-topic-attributes', '--topic-arn', topicArn]);
      expect(attributes.Attributes).toMatchObject({
        TopicArn: topicArn,
        SubscriptionsConfirmed: '1',
        SubscriptionsPending: '0',
      });
      const published = await ok([
        'sns',
        'publish',
        '--topic-arn',
        topicArn,
        '--message',
        'depth 3',
        '--message-attributes',
        JSON.stringify({ severity: { DataType: 'String', StringValue: 'high' } }),
      ]);
      expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/u);
      const received = await ok([
        'sqs',
        'receive-message',
        '--queue-url',
        queueUrl,
        '--message-attribute-names',
        'All',
        '--wait-time-seconds',
        '5',
      ]);
      const [message] = received.Messages as {
        Body: string;
        MessageAttributes: Record<string, { StringValue: string }>;
      }[];
      expect(message?.Body).toBe('depth 3');
      expect(message?.MessageAttributes.severity?.StringValue).toBe('high');
      expect(
        await ok(['sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn]),
      ).toMatchObject({
        Subscriptions: [{ SubscriptionArn: subscriptionArn, Protocol: 'sqs', Endpoint: queueArn }],
      });
      expect(await ok(['sns', 'list-tags-for-resource', '--resource-arn', topicArn])).toEqual({
        Tags: [{ Key: 'team', Value: 'herald' }],
      });
      await ok(['sns', 'unsubscribe', '--subscription-arn', subscriptionArn]);
      await fails(
        ['sns', 'get-subscription-attributes', '--subscription-arn', subscriptionArn],
        'NotFound',
      );
      await ok(['sns', 'delete-topic', '--topic-arn', topicArn]);
    },
    STEP_MS,
  );

  it(
    'runs the DynamoDB calls, TTL and transactions included',
    async () => {
      const table = 'cli-items';
      const created = await ok([
        'dynamodb',
        'create-table',
        '--table-name',
        table,
        '--attribute-definitions',
        'AttributeName=pk,AttributeType=S',
        '--key-schema',
        'AttributeName=pk,KeyType=HASH',
        '--billing-mode',
        'PAY_PER_REQUEST',
      ]);
      // CREATING, as AWS answers; the edge answers once the table is ACTIVE, so no waiter.
      expect(created).toMatchObject({ TableDescription: { TableStatus: 'CREATING' } });
      expect(await ok(['dynamodb', 'describe-table', '--table-name', table])).toMatchObject({
        Table: { TableStatus: 'ACTIVE' },
      });
      await ok([
        'dynamodb',
        'update-time-to-live',
        '--table-name',
        table,
        '--time-to-live-specification',
        'Enabled=true,AttributeName=expiresAt',
      ]);
      expect(await ok(['dynamodb', 'describe-time-to-live', '--table-name', table])).toEqual({
        TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' },
      });
      await ok([
        'dynamodb',
        'transact-write-items',
        '--transact-items',
        JSON.stringify([
          { Put: { TableName: table, Item: { pk: { S: 'a' }, n: { N: '1' } } } },
          { Put: { TableName: table, Item: { pk: { S: 'b' }, n: { N: '2' } } } },
        ]),
      ]);
      await fails(
        [
          'dynamodb',
          'transact-write-items',
          '--transact-items',
          JSON.stringify([
            { Put: { TableName: table, Item: { pk: { S: 'c' }, n: { N: '3' } } } },
            {
              ConditionCheck: {
                TableName: table,
                Key: { pk: { S: 'a' } },
                ConditionExpression: 'n = :two',
                ExpressionAttributeValues: { ':two': { N: '2' } },
              },
            },
          ]),
        ],
        'TransactionCanceledException',
      );
      const read = await ok([
        'dynamodb',
        'transact-get-items',
        '--transact-items',
        JSON.stringify([
          { Get: { TableName: table, Key: { pk: { S: 'a' } } } },
          { Get: { TableName: table, Key: { pk: { S: 'c' } } } },
        ]),
      ]);
      expect(read).toEqual({ Responses: [{ Item: { pk: { S: 'a' }, n: { N: '1' } } }, {}] });
      expect(
        await ok([
          'dynamodb',
          'get-item',
          '--table-name',
          table,
          '--key',
          JSON.stringify({ pk: { S: 'b' } }),
        ]),
      ).toEqual({ Item: { pk: { S: 'b' }, n: { N: '2' } } });
      await ok(['dynamodb', 'delete-table', '--table-name', table]);
    },
    STEP_MS,
  );
});
