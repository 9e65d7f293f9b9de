import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../dlq-messages';
import { deadLetteredQueues, depth, testClients } from '../../test/dlq-fixture';
import { runHerald } from '../../test/run-herald';
import { stackEnv } from '../../test/stack-env';

const clients = testClients();
afterAll(() => {
  clients.destroy();
});

const envFor = (queues: { queue: { url: string }; dlq: { url: string } }) =>
  stackEnv({ HERALD_QUEUE_URL: queues.queue.url, HERALD_DLQ_URL: queues.dlq.url });

const history = (tenant: string, id: string) =>
  readHistory(clients.dynamo, clients.table, tenant, id);

describe('herald dlq and queue stats (real local stack)', () => {
  it('lists dead-lettered messages with tenant, channel, receives, when and why, leaving them in place', async () => {
    const queues = await deadLetteredQueues(clients, 2);
    const run = await runHerald(['--json', 'dlq', 'list'], { env: envFor(queues) });
    expect(run.err).toBe('');
    const rows = JSON.parse(run.out) as Record<string, unknown>[];
    expect(rows.map((row) => row.id).sort()).toEqual(queues.messages.map((m) => m.id).sort());
    expect(rows[0]).toMatchObject({
      tenant: queues.messages[0]?.tenant,
      receiveCount: 1,
      reason: 'reached the dead-letter queue',
    });
    expect(rows[0]?.deadLetteredAt).toMatch(/Z$/);
    expect(await depth(clients, queues.dlq.url)).toBe(2);
    const table = await runHerald(['dlq', 'list'], { env: envFor(queues) });
    expect(table.out.split('\n')[0]).toMatch(
      /^id\s+tenant\s+channel\s+receives\s+dead-lettered\s+reason$/,
    );
  });

  it('inspects one message: envelope, attributes and status history', async () => {
    const queues = await deadLetteredQueues(clients, 1);
    const message = queues.messages[0]!;
    const run = await runHerald(['--json', 'dlq', 'inspect', message.id], { env: envFor(queues) });
    expect(run.code).toBe(0);
    const found = JSON.parse(run.out) as Record<string, unknown>;
    expect(found.envelope).toMatchObject({
      id: message.id,
      channel: message.channel,
      body: 'boom',
    });
    expect(found.attributes).toMatchObject({ DeadLetterQueueSourceArn: queues.queue.arn });
    expect(found.messageAttributes).toMatchObject({ tenant: { StringValue: message.tenant } });
    expect(found.history).toMatchObject([{ sk: 'STATUS', status: 'dead_lettered' }]);
    const missing = await runHerald(['dlq', 'inspect', 'nope'], { env: envFor(queues) });
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('herald: no message nope in the dead-letter queue');
  });

  it('refuses to redrive without --yes when there is no terminal, and moves nothing', async () => {
    const queues = await deadLetteredQueues(clients, 1);
    const run = await runHerald(['dlq', 'redrive'], { env: envFor(queues) });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'herald: refusing to redrive without a terminal to confirm on: pass --yes',
    );
    const declined: string[] = [];
    const no = await runHerald(['dlq', 'redrive'], {
      env: envFor(queues),
      stdinIsTty: true,
      confirm: false,
      questions: declined,
    });
    expect(no.err).toBe('herald: redrive cancelled');
    expect(declined[0]).toMatch(/^Move about 1 message\(s\) from cli-dlq-\S+ back to cli-q-\S+\?$/);
    expect(await depth(clients, queues.dlq.url)).toBe(1);
  });

  it('redrives everything with a move task, records it, and shows it in the status history', async () => {
    const queues = await deadLetteredQueues(clients, 3);
    const run = await runHerald(['--json', 'dlq', 'redrive', '--yes'], { env: envFor(queues) });
    expect(run.err).toBe('');
    const result = JSON.parse(run.out) as { redriveId: string; moved: number; outcome: string };
    expect(result).toMatchObject({ mode: 'task', moved: 3, outcome: 'COMPLETED' });
    expect(await depth(clients, queues.dlq.url)).toBe(0);
    expect(await depth(clients, queues.queue.url)).toBe(3);
    const { Items = [] } = await clients.dynamo.send(
      new QueryCommand({
        TableName: clients.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `REDRIVE#${result.redriveId}` },
      }),
    );
    expect(Items[0]).toMatchObject({ mode: 'task', moved: 3, outcome: 'COMPLETED' });
    expect(Items[0]?.by).toMatch(/@/);
    const message = queues.messages[0]!;
    const events = await history(message.tenant, message.id);
    expect(events.map((item) => item.kind ?? item.status)).toEqual(['dead_lettered', 'redriven']);
    expect(events[1]).toMatchObject({ redriveId: result.redriveId });
  });

  it('cancels the move task on Ctrl-C, keeping what it moved', async () => {
    const queues = await deadLetteredQueues(clients, 5);
    const run = await runHerald(['--json', 'dlq', 'redrive', '--yes', '--max-per-second', '1'], {
      env: envFor(queues),
      // Ctrl-C about a second and a half into the task.
      onInterrupt: (handler) => setTimeout(handler, 1_500),
    });
    const result = JSON.parse(run.out) as { moved: number; outcome: string };
    expect(result.outcome).toBe('CANCELLED');
    expect(result.moved).toBeLessThan(5);
    expect((await depth(clients, queues.dlq.url)) + (await depth(clients, queues.queue.url))).toBe(
      5,
    );
  });

  it('redrives chosen --ids by resending body and attributes, leaving the others', async () => {
    const queues = await deadLetteredQueues(clients, 3);
    const [first, , third] = queues.messages;
    const run = await runHerald(
      ['--json', 'dlq', 'redrive', '--yes', '--ids', first!.id, third!.id, 'absent'],
      {
        env: envFor(queues),
      },
    );
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toMatchObject({ mode: 'ids', moved: 2, notFound: ['absent'] });
    expect(await depth(clients, queues.dlq.url)).toBe(1);
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.queue.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    const bodies = Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { id: string }).id).sort();
    expect(bodies).toEqual([first!.id, third!.id].sort());
    expect(Messages[0]?.MessageAttributes?.tenant?.StringValue).toBe(first!.tenant);
    expect((await history(third!.tenant, third!.id)).map((i) => i.kind ?? i.status)).toEqual([
      'dead_lettered',
      'redriven',
    ]);
  });

  it('queue stats: visible, in flight, DLQ depth and the oldest message age from the edge', async () => {
    const queues = await deadLetteredQueues(clients, 2);
    await runHerald(['dlq', 'redrive', '--yes', '--ids', queues.messages[0]!.id], {
      env: envFor(queues),
    });
    await new Promise((done) => setTimeout(done, 1_100));
    const run = await runHerald(['--json', 'queue', 'stats'], { env: envFor(queues) });
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toMatchObject({
      target: 'local',
      visible: 1,
      inFlight: 0,
      delayed: 0,
      dlqDepth: 1,
      sent: null,
      received: null,
    });
    expect(
      (JSON.parse(run.out) as { oldestMessageAgeSeconds: number }).oldestMessageAgeSeconds,
    ).toBeGreaterThanOrEqual(1);
    const text = await runHerald(['queue', 'stats'], { env: envFor(queues) });
    expect(text.out).toMatch(/^oldest message age\s+\d+ s$/m);
  });
});
