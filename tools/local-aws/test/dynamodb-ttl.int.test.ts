import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay, rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ ttlSweepSeconds: 0.2 });
});

afterAll(async () => {
  await h.close();
});

async function createTable(client: DynamoDBClient): Promise<string> {
  const name = uniqueName('ttl');
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

async function keys(table: string): Promise<string[]> {
  const { Items } = await h.dynamodb.send(new ScanCommand({ TableName: table }));
  return (Items ?? []).map((item) => item.sk!.S!).sort();
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await delay(50);
  }
}

describe('DynamoDB Time to Live', () => {
  it('enables and describes TTL, refusing to enable it twice', async () => {
    const table = await createTable(h.dynamodb);
    const before = await h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(before.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    const enabled = await h.dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    expect(enabled.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    const after = await h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(after.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    const twice = await rejection(
      h.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      ),
    );
    expect(twice.name).toBe('ValidationException');
    const missing = await rejection(
      h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'no-such-table' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('sweeps items whose TTL lies in the past, keeping live, non-number and TTL-less ones', async () => {
    const table = await createTable(h.dynamodb);
    await h.dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    const items: [string, Record<string, AttributeValue>][] = [
      ['expired', { expiresAt: { N: String(now - 10) } }],
      ['live', { expiresAt: { N: String(now + 3600) } }],
      ['text', { expiresAt: { S: String(now - 10) } }],
      ['none', {}],
    ];
    for (const [sk, rest] of items)
      await h.dynamodb.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: 'p' }, sk: { S: sk }, ...rest } }),
      );
    await until(async () => !(await keys(table)).includes('expired'), 10_000);
    expect(await keys(table)).toEqual(['live', 'none', 'text']);
  });

  it('keeps the TTL setting of a persisted table across restarts', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'local-aws-ttl-'));
    try {
      const first = await startHarness({ dynamodbPath: folder });
      const table = await createTable(first.dynamodb);
      await first.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      );
      await first.close();
      const second = await startHarness({ dynamodbPath: folder });
      const { TimeToLiveDescription } = await second.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: table }),
      );
      await second.close();
      expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
