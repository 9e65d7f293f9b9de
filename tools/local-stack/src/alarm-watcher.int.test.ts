import { PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      await until(() => notes.some((note) => note.startsWith('dlq-not-empty is ALARM')), 5_000);
      await sqs.send(new PurgeQueueCommand({ QueueUrl: resources.dlqUrl }));
      await until(() => notes.some((note) => note.startsWith('dlq-not-empty is OK')), 5_000);
      const subjects = aws.mailbox.list().map((mail) => mail.subject);
      expect(subjects).toEqual([
        'Herald alarm dlq-not-empty: ALARM',
        'Herald alarm dlq-not-empty: OK',
      ]);
      // The queue-depth alarm needs > 100 messages for 10 periods: one message raises nothing.
      expect(notes.some((note) => note.startsWith('queue-depth'))).toBe(false);
    } finally {
      watcher.stop();
    }
  });
});
