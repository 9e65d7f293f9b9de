import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function createTopic(): Promise<string> {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: uniqueName('topic') }));
  return TopicArn!;
}

async function subscribeQueue(
  topicArn: string,
  raw: boolean,
  attributes: Record<string, string> = {},
) {
  const queue = await createQueue(h.sqs, raw ? 'raw' : 'enveloped');
  await h.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queue.arn,
      Attributes: { RawMessageDelivery: String(raw), ...attributes },
    }),
  );
  return queue;
}

async function receiveBodies(url: string): Promise<string[]> {
  const { Messages } = await h.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages?.map((message) => message.Body!) ?? [];
}

describe('SNS topics', () => {
  it('creates topics idempotently, lists and describes them, deletes them', async () => {
    const name = uniqueName('topic');
    const first = await h.sns.send(new CreateTopicCommand({ Name: name }));
    const again = await h.sns.send(new CreateTopicCommand({ Name: name }));
    expect(first.TopicArn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
    expect(again.TopicArn).toBe(first.TopicArn);
    const { Topics } = await h.sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((topic) => topic.TopicArn)).toContain(first.TopicArn);
    const { Attributes } = await h.sns.send(
      new GetTopicAttributesCommand({ TopicArn: first.TopicArn }),
    );
    expect(Attributes).toMatchObject({ TopicArn: first.TopicArn, SubscriptionsConfirmed: '0' });
    await h.sns.send(new DeleteTopicCommand({ TopicArn: first.TopicArn }));
    const error = await rejection(
      h.sns.send(new GetTopicAttributesCommand({ TopicArn: first.TopicArn })),
    );
    expect(error.name).toBe('NotFoundException');
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('rejects invalid topic names and unsupported protocols with InvalidParameter', async () => {
    expect((await rejection(h.sns.send(new CreateTopicCommand({ Name: 'bad name' })))).name).toBe(
      'InvalidParameterException',
    );
    const topicArn = await createTopic();
    const error = await rejection(
      h.sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15550100' }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('answers NotFound for publishing to an unknown topic', async () => {
    const error = await rejection(
      h.sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' }),
      ),
    );
    expect(error.name).toBe('NotFoundException');
  });
});

describe('SNS to SQS', () => {
  it('fans a publish out to every queue, in the SNS envelope or raw', async () => {
    const topicArn = await createTopic();
    const enveloped = await subscribeQueue(topicArn, false);
    const raw = await subscribeQueue(topicArn, true);
    const { MessageId } = await h.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Critical',
        Message: 'disk full',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
      }),
    );
    const [envelope] = await receiveBodies(enveloped.url);
    expect(JSON.parse(envelope!)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topicArn,
      Subject: 'Critical',
      Message: 'disk full',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      SignatureVersion: '1',
      MessageAttributes: { severity: { Type: 'String', Value: 'critical' } },
    });
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: raw.url, MessageAttributeNames: ['All'] }),
    );
    expect(Messages?.[0]?.Body).toBe('disk full');
    expect(Messages?.[0]?.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'critical' },
    });
  });

  it('delivers only what passes a subscription filter policy', async () => {
    const topicArn = await createTopic();
    const queue = await subscribeQueue(topicArn, true, {
      FilterPolicy: JSON.stringify({ severity: ['critical'] }),
    });
    for (const severity of ['info', 'critical']) {
      await h.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: severity,
          MessageAttributes: { severity: { DataType: 'String', StringValue: severity } },
        }),
      );
    }
    expect(await receiveBodies(queue.url)).toEqual(['critical']);
  });

  it('sends each protocol its own text with MessageStructure json', async () => {
    const topicArn = await createTopic();
    const queue = await subscribeQueue(topicArn, true);
    await h.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'plain', sqs: 'for queues' }),
      }),
    );
    expect(await receiveBodies(queue.url)).toEqual(['for queues']);
  });

  it('stops delivering after Unsubscribe', async () => {
    const topicArn = await createTopic();
    const queue = await subscribeQueue(topicArn, true);
    const { Subscriptions } = await h.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    expect(Subscriptions).toEqual([
      expect.objectContaining({ Protocol: 'sqs', Endpoint: queue.arn, TopicArn: topicArn }),
    ]);
    const { Attributes } = await h.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: Subscriptions![0]!.SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({ RawMessageDelivery: 'true', PendingConfirmation: 'false' });
    await h.sns.send(
      new UnsubscribeCommand({ SubscriptionArn: Subscriptions![0]!.SubscriptionArn }),
    );
    await h.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'nobody listens' }));
    expect(await receiveBodies(queue.url)).toEqual([]);
  });
});

describe('SNS PublishBatch', () => {
  it('publishes valid entries and reports invalid ones in Failed', async () => {
    const topicArn = await createTopic();
    const queue = await subscribeQueue(topicArn, true);
    const result = await h.sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          { Id: 'empty', Message: '' },
          {
            Id: 'two',
            Message: 'second',
            MessageAttributes: { n: { DataType: 'Number', StringValue: '42' } },
          },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['one', 'two']);
    expect(result.Successful?.[0]?.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'empty', Code: 'InvalidParameter', SenderFault: true }),
    ]);
    expect((await receiveBodies(queue.url)).sort()).toEqual(['first', 'second']);
  });

  it.each([
    ['EmptyBatchRequestException', []],
    [
      'TooManyEntriesInBatchRequestException',
      Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })),
    ],
    [
      'BatchEntryIdsNotDistinctException',
      [
        { Id: 'a', Message: 'm' },
        { Id: 'a', Message: 'n' },
      ],
    ],
    ['InvalidBatchEntryIdException', [{ Id: 'no spaces', Message: 'm' }]],
    [
      'BatchRequestTooLongException',
      [
        { Id: 'a', Message: 'x'.repeat(140_000) },
        { Id: 'b', Message: 'x'.repeat(140_000) },
      ],
    ],
  ])('rejects the whole batch with %s', async (name, entries) => {
    const topicArn = await createTopic();
    const error = await rejection(
      h.sns.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
      ),
    );
    expect(error.name).toBe(name);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('rejects a message over 256 KiB', async () => {
    const topicArn = await createTopic();
    const error = await rejection(
      h.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(262_145) })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });
});

interface Captured {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function captureServer(): Promise<{ server: Server; url: string; next: () => Promise<Captured> }> {
  const waiting: ((captured: Captured) => void)[] = [];
  // Requests nobody waits for yet, so none goes unnoticed.
  const received: Captured[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      res.end('ok');
      const captured = { headers: req.headers, body };
      const waiter = waiting.shift();
      if (waiter) waiter(captured);
      else received.push(captured);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        server,
        url: `http://127.0.0.1:${port}/hook`,
        next: () => {
          const early = received.shift();
          return early ? Promise.resolve(early) : new Promise((done) => waiting.push(done));
        },
      });
    });
  });
}

describe('SNS to HTTP and email', () => {
  it('confirms through the SubscribeURL, and answers the ARN when ReturnSubscriptionArn', async () => {
    const hook = await captureServer();
    try {
      const topicArn = await createTopic();
      const { SubscriptionArn } = await h.sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'http',
          Endpoint: hook.url,
          ReturnSubscriptionArn: true,
        }),
      );
      expect(SubscriptionArn).toMatch(new RegExp(`^${topicArn}:`));
      const pending = await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(pending.Attributes?.PendingConfirmation).toBe('true');
      const { SubscribeURL } = JSON.parse((await hook.next()).body) as { SubscribeURL: string };
      const visit = await fetch(SubscribeURL);
      expect(visit.status).toBe(200);
      expect(await visit.text()).toContain(`<SubscriptionArn>${SubscriptionArn}</SubscriptionArn>`);
      const confirmed = await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(confirmed.Attributes?.PendingConfirmation).toBe('false');
    } finally {
      hook.server.close();
    }
  });

  it('auto-confirms http subscriptions when the edge is told to', async () => {
    const hook = await captureServer();
    const auto = await startHarness({ autoConfirmSubscriptions: true });
    try {
      const { TopicArn } = await auto.sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
      const { SubscriptionArn } = await auto.sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: hook.url }),
      );
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
      await auto.sns.send(new PublishCommand({ TopicArn, Message: 'at once' }));
      const { headers, body } = await hook.next();
      expect(headers['x-amz-sns-message-type']).toBe('Notification');
      expect(JSON.parse(body)).toMatchObject({ Message: 'at once' });
    } finally {
      await auto.close();
      hook.server.close();
    }
  });

  it('keeps an http subscription pending until ConfirmSubscription with the token sent', async () => {
    const hook = await captureServer();
    try {
      const topicArn = await createTopic();
      const { SubscriptionArn: answered } = await h.sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: hook.url }),
      );
      expect(answered).toBe('pending confirmation');
      const confirmation = await hook.next();
      expect(confirmation.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
      const request = JSON.parse(confirmation.body) as {
        Type: string;
        Token: string;
        TopicArn: string;
        SubscribeURL: string;
      };
      expect(request).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn });
      expect(request.SubscribeURL).toContain('Action=ConfirmSubscription');
      const listed = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      expect(listed.Subscriptions?.[0]?.SubscriptionArn).toBe('PendingConfirmation');
      const { Attributes: topicAttributes } = await h.sns.send(
        new GetTopicAttributesCommand({ TopicArn: topicArn }),
      );
      expect(topicAttributes).toMatchObject({
        SubscriptionsPending: '1',
        SubscriptionsConfirmed: '0',
      });
      // Published while pending: never delivered.
      await h.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'too early' }));
      const wrong = await rejection(
        h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'abc' })),
      );
      expect(wrong.name).toBe('InvalidParameterException');
      const { SubscriptionArn } = await h.sns.send(
        new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: request.Token }),
      );
      expect(SubscriptionArn).toMatch(new RegExp(`^${topicArn}:`));
      const { Attributes } = await h.sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn }),
      );
      expect(Attributes?.PendingConfirmation).toBe('false');
      const delivery = hook.next();
      const { MessageId } = await h.sns.send(
        new PublishCommand({ TopicArn: topicArn, Message: 'to the web' }),
      );
      const { headers, body } = await delivery;
      expect(headers['x-amz-sns-message-type']).toBe('Notification');
      expect(headers['x-amz-sns-topic-arn']).toBe(topicArn);
      expect(JSON.parse(body)).toMatchObject({
        Type: 'Notification',
        MessageId,
        Message: 'to the web',
      });
    } finally {
      hook.server.close();
    }
  });

  it('puts email deliveries in the mailbox, readable and clearable over HTTP', async () => {
    const topicArn = await createTopic();
    await h.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'ops@example.com' }),
    );
    await h.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'email-json',
        Endpoint: 'bot@example.com',
      }),
    );
    await h.sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: 'DLQ alarm', Message: 'depth 3' }),
    );
    const response = await fetch(
      `${h.aws.url}/_herald/mailbox?topic=${encodeURIComponent(topicArn)}`,
    );
    const { messages } = (await response.json()) as {
      messages: { to: string; subject: string; body: string }[];
    };
    expect(messages.map((m) => m.to)).toEqual(['ops@example.com', 'bot@example.com']);
    expect(messages[0]).toMatchObject({ subject: 'DLQ alarm', body: 'depth 3' });
    expect(JSON.parse(messages[1]!.body)).toMatchObject({
      Type: 'Notification',
      Message: 'depth 3',
    });
    const cleared = await fetch(`${h.aws.url}/_herald/mailbox`, { method: 'DELETE' });
    expect(((await cleared.json()) as { cleared: number }).cleared).toBeGreaterThanOrEqual(2);
    expect(h.aws.mailbox.list({ topic: topicArn })).toEqual([]);
  });

  it('also appends email deliveries to the mailbox file as JSON lines', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'herald-mailbox-'));
    const mailboxFile = join(folder, 'mailbox.jsonl');
    try {
      const own = await startHarness({ mailboxFile });
      const { TopicArn } = await own.sns.send(new CreateTopicCommand({ Name: 'ops' }));
      await own.sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }),
      );
      await own.sns.send(new PublishCommand({ TopicArn, Message: 'first' }));
      await own.sns.send(new PublishCommand({ TopicArn, Message: 'second' }));
      await own.close();
      const lines = (await readFile(mailboxFile, 'utf8')).trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { body: string }).body)).toEqual([
        'first',
        'second',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
