import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { provisionAws, startAlarmWatcher, type AwsResources } from '@herald/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHerald } from '../../test/run-herald';

// An edge of its own with the local stack's alarm watcher posting to it, as `npm start` runs it
// (the shared test stack runs no watcher).
let aws: LocalAws;
let resources: AwsResources;
let watcher: { stop(): void };

beforeAll(async () => {
  aws = await startLocalAws({ port: 0 });
  resources = await provisionAws(aws.url, 'us-east-1', {
    queue: 'q',
    dlq: 'q-dlq',
    alertsTopic: 'alerts',
    opsTopic: 'ops',
    table: 'alarms-cli',
    email: 'ops@test',
  });
  watcher = startAlarmWatcher({
    ...resources,
    endpoint: aws.url,
    region: 'us-east-1',
    periodSeconds: 0.2,
    notify: () => undefined,
    publish: (state) => {
      aws.alarms.set(state);
    },
    takeWorkerErrors: () => 0,
  });
});

afterAll(async () => {
  watcher.stop();
  await aws.close();
});

const env = () => ({
  AWS_ENDPOINT_URL: aws.url,
  HERALD_QUEUE_URL: resources.queueUrl,
  HERALD_DLQ_URL: resources.dlqUrl,
});

async function alarms() {
  const run = await runHerald(['--json', 'alarms'], { env: env() });
  expect(run.err).toBe('');
  return JSON.parse(run.out) as {
    name: string;
    state: string;
    reason: string;
    threshold: string;
  }[];
}

describe('herald alarms (local stack)', () => {
  it('shows every alarm with state, reason and threshold, and the DLQ alarm firing', async () => {
    const before = await alarms();
    expect(before.map((a) => a.name)).toHaveLength(7);
    expect(before.find((a) => a.name === 'rds-cpu-percent')).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      reason: 'no local signal',
      threshold: '> 80 for 5 × 0.2 s',
    });
    const sqs = new SQSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.dlqUrl, MessageBody: 'poison' }));
    } finally {
      sqs.destroy();
    }
    let dlq;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      dlq = (await alarms()).find((a) => a.name === 'dlq-depth');
      if (dlq?.state === 'ALARM') break;
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(dlq).toMatchObject({ state: 'ALARM', threshold: '> 0 for 1 × 0.2 s' });
    expect(dlq?.reason).toMatch(/^value 1, threshold > 0/);
    const table = await runHerald(['alarms'], { env: env() });
    expect(table.out).toMatch(/^dlq-depth\s+ALARM\s+> 0 for 1 × 0\.2 s\s+value 1/m);
  });

  it('says so when no watcher posts to the edge', async () => {
    const bare = await startLocalAws({ port: 0 });
    try {
      const queues = await provisionAws(bare.url, 'us-east-1', {
        queue: 'q',
        dlq: 'q-dlq',
        alertsTopic: 'alerts',
        opsTopic: 'ops',
        table: 'alarms-bare',
        email: 'ops@test',
      });
      const run = await runHerald(['alarms'], {
        env: {
          AWS_ENDPOINT_URL: bare.url,
          HERALD_QUEUE_URL: queues.queueUrl,
          HERALD_DLQ_URL: queues.dlqUrl,
        },
      });
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/^herald: no alarm watcher posts to http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await bare.close();
    }
  });
});
