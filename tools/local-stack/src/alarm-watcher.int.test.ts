import { PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAlarmState } from '@herald/local-aws';
import { startAlarmWatcher } from './alarm-watcher';
import { provisionAws, type AwsResources } from './provision-aws';

let aws: LocalAws;
let resources: AwsResources;
let sqs: SQSClient;

beforeAll(async () => {
  aws = await startLocalAws({ port: 0 });
  resources = await provisionAws(aws.url, 'us-east-1', {
    queue: 'q',
    dlq: 'q-dlq',
    alertsTopic: 'alerts',
    opsTopic: 'ops',
    table: 'alarm-test',
    email: 'ops@test',
  });
  sqs = new SQSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
});

afterAll(async () => {
  sqs.destroy();
  await aws.close();
});

async function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('the local alarm watcher', () => {
  it('mails the ops topic when the DLQ is not empty, and again when it is back to OK', async () => {
    const notes: string[] = [];
    const watcher = startAlarmWatcher({
      ...resources,
      endpoint: aws.url,
      region: 'us-east-1',
      periodSeconds: 0.1,
      notify: (line) => notes.push(line),
    });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.dlqUrl, MessageBody: 'poison' }));
      await until(() => notes.some((note) => note.startsWith('dlq-depth is ALARM')), 30_000);
      await sqs.send(new PurgeQueueCommand({ QueueUrl: resources.dlqUrl }));
      await until(() => notes.some((note) => note.startsWith('dlq-depth is OK')), 30_000);
      // The note is written when the state changes; the mail follows the SNS publish, which a
      // loaded machine may deliver a moment later.
      await until(() => aws.mailbox.list().length >= 2, 30_000);
      const subjects = aws.mailbox.list().map((mail) => mail.subject);
      expect(subjects).toEqual(['Herald alarm dlq-depth: ALARM', 'Herald alarm dlq-depth: OK']);
      // The queue-depth alarm needs > 100 messages for 10 periods: one message raises nothing.
      expect(notes.some((note) => note.startsWith('queue-depth'))).toBe(false);
    } finally {
      watcher.stop();
    }
  });

  it('evaluates every definition with a local signal and posts each state', async () => {
    const states = new Map<string, LocalAlarmState>();
    let pendingErrors = 6;
    const notes: string[] = [];
    await sqs.send(
      new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: 'waiting' }),
    );
    const watcher = startAlarmWatcher({
      ...resources,
      endpoint: aws.url,
      region: 'us-east-1',
      periodSeconds: 0.1,
      notify: (line) => notes.push(line),
      publish: (state) => states.set(state.name, state),
      takeWorkerErrors: () => {
        const taken = pendingErrors;
        pendingErrors = 0;
        return taken;
      },
    });
    try {
      expect([...states.keys()].sort()).toEqual([
        'alb-p99-latency-seconds',
        'alb5xx-percent',
        'dlq-depth',
        'oldest-message-age-seconds',
        'queue-depth',
        'rds-cpu-percent',
        'worker-errors',
      ]);
      expect(states.get('rds-cpu-percent')).toMatchObject({
        state: 'INSUFFICIENT_DATA',
        reason: 'no local signal',
        threshold: 80,
      });
      // Six worker errors in one period are above 5: ALARM, then back to OK with none.
      await until(() => notes.some((note) => note.startsWith('worker-errors is ALARM')), 5_000);
      await until(() => notes.some((note) => note.startsWith('worker-errors is OK')), 5_000);
      await until(() => (states.get('oldest-message-age-seconds')?.value ?? 0) >= 1, 5_000);
      expect(states.get('oldest-message-age-seconds')).toMatchObject({
        state: 'OK',
        threshold: 300,
      });
      expect(states.get('queue-depth')).toMatchObject({ state: 'OK', value: 1 });
      expect(states.get('alb5xx-percent')?.state).toBe('INSUFFICIENT_DATA');
    } finally {
      watcher.stop();
      await sqs.send(new PurgeQueueCommand({ QueueUrl: resources.queueUrl }));
    }
  });
});
