import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
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

async function createTable(): Promise<string> {
  const name = uniqueName('tx');
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

async function item(
  table: string,
  pk: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await h.dynamodb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return Item;
}

async function put(table: string, fields: Record<string, AttributeValue>): Promise<void> {
  await h.dynamodb.send(new PutItemCommand({ TableName: table, Item: fields }));
}

describe('DynamoDB TransactWriteItems', () => {
  it('applies a ConditionCheck, Put, Update and Delete together', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'account' }, balance: { N: '10' } });
    await put(table, { pk: { S: 'gone' }, v: { S: 'x' } });
    await put(table, { pk: { S: 'guard' }, open: { BOOL: true } });
    await h.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table,
              Key: { pk: { S: 'guard' } },
              ConditionExpression: '#o = :yes',
              ExpressionAttributeNames: { '#o': 'open' },
              ExpressionAttributeValues: { ':yes': { BOOL: true } },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { pk: { S: 'new' }, v: { S: 'created' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table,
              Key: { pk: { S: 'account' } },
              UpdateExpression: 'SET balance = balance - :n',
              ConditionExpression: 'balance >= :n',
              ExpressionAttributeValues: { ':n': { N: '4' } },
            },
          },
          { Delete: { TableName: table, Key: { pk: { S: 'gone' } } } },
        ],
      }),
    );
    expect(await item(table, 'account')).toEqual({ pk: { S: 'account' }, balance: { N: '6' } });
    expect(await item(table, 'new')).toEqual({ pk: { S: 'new' }, v: { S: 'created' } });
    expect(await item(table, 'gone')).toBeUndefined();
    expect(await item(table, 'guard')).toEqual({ pk: { S: 'guard' }, open: { BOOL: true } });
  });

  it('writes nothing when one condition fails, naming the reason per item', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'a' }, n: { N: '1' } });
    await put(table, { pk: { S: 'b' }, n: { N: '1' } });
    const error = await rejection(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'c' }, n: { N: '9' } } } },
            {
              Update: {
                TableName: table,
                Key: { pk: { S: 'a' } },
                UpdateExpression: 'SET n = :two',
                ExpressionAttributeValues: { ':two': { N: '2' } },
              },
            },
            {
              Delete: {
                TableName: table,
                Key: { pk: { S: 'b' } },
                ConditionExpression: 'n = :five',
                ExpressionAttributeValues: { ':five': { N: '5' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              ConditionCheck: {
                TableName: table,
                Key: { pk: { S: 'missing' } },
                ConditionExpression: 'attribute_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );
    if (!(error instanceof TransactionCanceledException))
      throw new Error(`expected TransactionCanceledException, got ${error.name}`);
    expect(error.message).toContain('[None, None, ConditionalCheckFailed, ConditionalCheckFailed]');
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'b' }, n: { N: '1' } },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await item(table, 'a')).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
    expect(await item(table, 'b')).toEqual({ pk: { S: 'b' }, n: { N: '1' } });
    expect(await item(table, 'c')).toBeUndefined();
    // The probe of the absent item's condition left nothing behind.
    expect(await item(table, 'missing')).toBeUndefined();
  });

  it('rolls back the writes already made when a later one is refused', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'a' }, n: { N: '1' } });
    const error = await rejection(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'a' }, n: { N: '2' } } } },
            {
              Update: {
                TableName: table,
                Key: { pk: { S: 'b' } },
                // Adding to a string is refused by DynamoDB while writing.
                UpdateExpression: 'SET s = :s ADD s :one',
                ExpressionAttributeValues: { ':s': { S: 'x' }, ':one': { N: '1' } },
              },
            },
          ],
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(await item(table, 'a')).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
    expect(await item(table, 'b')).toBeUndefined();
  });

  it('refuses two operations on one item and more than 100 items', async () => {
    const table = await createTable();
    const twice = await rejection(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'x' } } } },
            { Delete: { TableName: table, Key: { pk: { S: 'x' } } } },
          ],
        }),
      ),
    );
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toBe(
      'Transaction request cannot include multiple operations on one item',
    );
    const many: TransactWriteItem[] = Array.from({ length: 101 }, (_, index) => ({
      Put: { TableName: table, Item: { pk: { S: `p${index}` } } },
    }));
    const tooMany = await rejection(
      h.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: many })),
    );
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toContain('less than or equal to 100');
    expect(await item(table, 'x')).toBeUndefined();
    expect(await item(table, 'p0')).toBeUndefined();
    const unknown = await rejection(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: uniqueName('none'), Item: { pk: { S: 'x' } } } }],
        }),
      ),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const unconditional = await rejection(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'y' } } } },
            // The SDK's type requires the expression; AWS refuses a request without it.
            {
              ConditionCheck: { TableName: table, Key: { pk: { S: 'x' } } },
            } as unknown as TransactWriteItem,
          ],
        }),
      ),
    );
    expect(unconditional.name).toBe('ValidationException');
    expect(await item(table, 'y')).toBeUndefined();
  });

  it('answers a repeated ClientRequestToken without applying the writes again', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'counter' }, n: { N: '0' } });
    const increment = (token: string, by: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: token,
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: { pk: { S: 'counter' } },
              UpdateExpression: 'ADD n :by',
              ExpressionAttributeValues: { ':by': { N: by } },
            },
          },
        ],
      });
    const token = `token-${Date.now()}`;
    await h.dynamodb.send(increment(token, '1'));
    await h.dynamodb.send(increment(token, '1'));
    expect((await item(table, 'counter'))?.n).toEqual({ N: '1' });
    const mismatch = await rejection(h.dynamodb.send(increment(token, '5')));
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    expect((await item(table, 'counter'))?.n).toEqual({ N: '1' });
    await h.dynamodb.send(increment(`${token}-other`, '1'));
    expect((await item(table, 'counter'))?.n).toEqual({ N: '2' });
  });

  it('lets no concurrent write interleave between the checks and the writes', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'stock' }, n: { N: '10' } });
    // Ten transactions each take 3 of the stock only if 3 remain: exactly 3 can succeed.
    const take = () =>
      h.dynamodb
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: { S: 'stock' } },
                  UpdateExpression: 'SET n = n - :three',
                  ConditionExpression: 'n >= :three',
                  ExpressionAttributeValues: { ':three': { N: '3' } },
                },
              },
            ],
          }),
        )
        .then(
          () => 'taken',
          (error: unknown) => (error as Error).name,
        );
    const plain = h.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'stock' } },
        UpdateExpression: 'SET touched = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    const outcomes = await Promise.all(Array.from({ length: 10 }, take));
    await plain;
    expect(outcomes.filter((outcome) => outcome === 'taken')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'TransactionCanceledException')).toHaveLength(
      7,
    );
    expect(await item(table, 'stock')).toEqual({
      pk: { S: 'stock' },
      n: { N: '1' },
      touched: { BOOL: true },
    });
  });
});

describe('DynamoDB TransactGetItems', () => {
  it('reads every item, empty for the absent ones, with projections', async () => {
    const table = await createTable();
    await put(table, { pk: { S: 'a' }, n: { N: '1' }, big: { S: 'payload' } });
    const { Responses } = await h.dynamodb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          {
            Get: {
              TableName: table,
              Key: { pk: { S: 'a' } },
              ProjectionExpression: '#n',
              ExpressionAttributeNames: { '#n': 'n' },
            },
          },
          { Get: { TableName: table, Key: { pk: { S: 'absent' } } } },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { n: { N: '1' } } }, {}]);
    const twice = await rejection(
      h.dynamodb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: table, Key: { pk: { S: 'a' } } } },
            { Get: { TableName: table, Key: { pk: { S: 'a' } } } },
          ],
        }),
      ),
    );
    expect(twice.name).toBe('ValidationException');
  });
});
