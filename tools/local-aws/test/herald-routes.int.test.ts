import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, delay, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

interface QueueRow {
  name: string;
  visible: number;
  oldestMessageAgeSeconds: number;
}

describe('the edge developer endpoints', () => {
  it('GET /_herald/queues reports counts and the age of the oldest message', async () => {
    const queue = await createQueue(h.sqs, 'routes');
    const name = queue.url.split('/').at(-1);
    const row = async () => {
      const body = (await (await fetch(`${h.aws.url}/_herald/queues`)).json()) as {
        queues: QueueRow[];
      };
      return body.queues.find((q) => q.name === name);
    };
    expect(await row()).toMatchObject({ visible: 0, oldestMessageAgeSeconds: 0 });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'old' }));
    await delay(1_100);
    const after = await row();
    expect(after?.visible).toBe(1);
    expect(after?.oldestMessageAgeSeconds).toBeGreaterThanOrEqual(1);
  });

  it('GET /_herald/alarms serves what the alarm watcher posted', async () => {
    const empty = (await (await fetch(`${h.aws.url}/_herald/alarms`)).json()) as {
      alarms: unknown[];
    };
    expect(empty.alarms).toEqual([]);
    h.aws.alarms.set({
      name: 'dlq-depth',
      state: 'ALARM',
      reason: 'value 1 > 0 for 1 period(s)',
      threshold: 0,
      evaluationPeriods: 1,
      periodSeconds: 60,
      value: 1,
      updatedAt: new Date().toISOString(),
    });
    const response = await fetch(`${h.aws.url}/_herald/alarms`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      alarms: [{ name: 'dlq-depth', state: 'ALARM', threshold: 0, value: 1 }],
    });
    expect((await fetch(`${h.aws.url}/_herald/alarms`, { method: 'POST' })).status).toBe(405);
  });
});
