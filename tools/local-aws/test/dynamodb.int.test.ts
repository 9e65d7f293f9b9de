import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, startHarness, uniqueName, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

describe('DynamoDB through the edge', () => {
  it('creates an ACTIVE table at once and puts and gets items', async () => {
    const table = uniqueName('table');
    await createTable(h.dynamodb, table);
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: 'msg-1' }, status: { S: 'stored' } },
      }),
    );
    const { Item } = await h.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'msg-1' } } }),
    );
    expect(Item).toEqual({ pk: { S: 'msg-1' }, status: { S: 'stored' } });
  });

  it('answers table changes only once they are complete, so callers need no waiter', async () => {
    const table = uniqueName('churn');
    for (let round = 0; round < 20; round += 1) {
      await createTable(h.dynamodb, table);
      await h.dynamodb.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: `r${round}` } } }),
      );
      await h.dynamodb.send(new DeleteTableCommand({ TableName: table }));
    }
    const error = await rejection(h.dynamodb.send(new DescribeTableCommand({ TableName: table })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('answers DynamoDB errors in DynamoDB shape', async () => {
    const error = await rejection(
      h.dynamodb.send(
        new GetItemCommand({ TableName: uniqueName('missing'), Key: { pk: { S: 'x' } } }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('keeps tables in dynamodbPath across restarts', async () => {
    const path = await mkdtemp(join(tmpdir(), 'herald-dynalite-'));
    try {
      const first = await startHarness({ dynamodbPath: path });
      await createTable(first.dynamodb, 'persisted');
      await first.dynamodb.send(
        new PutItemCommand({ TableName: 'persisted', Item: { pk: { S: 'kept' } } }),
      );
      await first.close();
      const second = await startHarness({ dynamodbPath: path });
      const { Item } = await second.dynamodb.send(
        new GetItemCommand({ TableName: 'persisted', Key: { pk: { S: 'kept' } } }),
      );
      await second.close();
      expect(Item).toEqual({ pk: { S: 'kept' } });
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  });
});
