import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../local-aws';
import type { OpsSnapshot } from './ops-types';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const names = { queue: 'ops-q', dlq: 'ops-dlq', table: 'ops-table' };
const query = `?queue=${names.queue}&dlq=${names.dlq}&table=${names.table}`;

async function snapshot(aws: LocalAws): Promise<OpsSnapshot> {
  const response = await fetch(`${aws.url}/_herald/ops.json${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as OpsSnapshot;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the edge ops endpoints', () => {
  let aws: LocalAws;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;
  beforeAll(async () => {
    aws = await startLocalAws({ port: 0 });
    const config = { endpoint: aws.url, region: 'us-east-1', credentials };
    sqs = new SQSClient(config);
    dynamodb = new DynamoDBClient(config);
    await sqs.send(new CreateQueueCommand({ QueueName: names.queue }));
    await sqs.send(new CreateQueueCommand({ QueueName: names.dlq }));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: names.table,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    sqs.destroy();
    dynamodb.destroy();
    await aws.close();
  });

  it('serves the page with a strict CSP and its bundled script and stylesheet', async () => {
    const page = await fetch(`${aws.url}/_herald/ops`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script defer src="/_herald/ops/app.js">');
    const script = await fetch(`${aws.url}/_herald/ops/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    // uPlot is in the bundle, not fetched from anywhere.
    expect(await script.text()).toContain('uplot');
    const css = await (await fetch(`${aws.url}/_herald/ops/app.css`)).text();
    expect(css).toContain('.uplot');
    expect((await fetch(`${aws.url}/_herald/ops/nothing`)).status).toBe(404);
    expect((await fetch(`${aws.url}/_herald/ops.json`, { method: 'POST' })).status).toBe(405);
  });

  it('reports queue depth and stored messages with their latency', async () => {
    await snapshot(aws);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: names.queue }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    // A UUIDv7 id minted 250 ms before the message was stored.
    const storedAt = Date.now();
    const hex = (storedAt - 250).toString(16).padStart(12, '0');
    const id = `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000001`;
    await dynamodb.send(
      new PutItemCommand({
        TableName: names.table,
        Item: {
          pk: { S: `MSG#t#${id}` },
          sk: { S: 'STATUS' },
          id: { S: id },
          status: { S: 'stored' },
          storedAt: { S: new Date(storedAt).toISOString() },
        },
      }),
    );
    await until('the depth and the stored message', async () => {
      const now = await snapshot(aws);
      return now.queue.visible === 2 && now.latency.count === 1;
    });
    const now = await snapshot(aws);
    expect(now.latency.p50Ms).toBe(250);
    expect(now.storedLast15Minutes).toBe(1);
    expect(now.history.length).toBeGreaterThan(1);
  });
});
