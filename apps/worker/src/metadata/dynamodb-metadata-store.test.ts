import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MetadataStoreError } from '../errors';
import { DynamoDbMetadataStore } from './dynamodb-metadata-store';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const mock = mockClient(client);
const store = new DynamoDbMetadataStore(client, 'herald-metadata');
const now = new Date('2026-11-25T10:00:00.000Z');

function conditionFailed(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

beforeEach(() => {
  mock.reset();
});

describe('DynamoDbMetadataStore', () => {
  it('sets stored without touching the alerted flag, and reports a flag already there', async () => {
    mock.on(UpdateCommand).resolves({ Attributes: { status: 'stored', alerted: true } });
    const result = await store.markStored(
      { tenant: 'acme', id: 'm1', channel: 'orders', storedAt: now },
      now,
    );
    expect(result).toEqual({ written: true, alreadyAlerted: true });
    const input = mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { pk: 'MSG#acme#m1', sk: 'STATUS' },
      ReturnValues: 'ALL_OLD',
    });
    expect(input?.UpdateExpression).not.toMatch(/alerted/i);
    expect(input?.ConditionExpression).toBeUndefined();
  });

  it('reports no alert for a first write', async () => {
    mock.on(UpdateCommand).resolves({});
    expect(
      await store.markStored({ tenant: 'acme', id: 'm1', channel: 'orders', storedAt: now }, now),
    ).toEqual({
      written: true,
      alreadyAlerted: false,
    });
  });

  it('does not overwrite a stored status with a rejection', async () => {
    mock.on(UpdateCommand).rejects(conditionFailed());
    const result = await store.markRejected(
      { tenant: 'acme', id: 'm1', reason: 'invalid_envelope: x' },
      now,
    );
    expect(result).toEqual({ written: false, alreadyAlerted: false });
    const input = mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(#pk) OR #status <> :stored');
    expect(input?.ExpressionAttributeValues).toMatchObject({ ':status': 'rejected' });
  });

  it('records dead-lettered messages with the same guard', async () => {
    mock.on(UpdateCommand).resolves({});
    await store.markDeadLettered(
      { tenant: 'acme', id: 'm1', channel: 'orders', reason: 'dlq' },
      now,
    );
    expect(
      mock.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues,
    ).toMatchObject({
      ':status': 'dead_lettered',
      ':channel': 'orders',
    });
  });

  it('marks alerted only on an existing status item', async () => {
    mock.on(UpdateCommand).rejects(conditionFailed());
    await expect(store.markAlerted({ tenant: 'acme', id: 'm1' }, now)).rejects.toBeInstanceOf(
      MetadataStoreError,
    );
    expect(mock.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toBe(
      'attribute_exists(#pk)',
    );
  });

  it('writes absolute channel totals that never go backwards', async () => {
    mock.on(PutCommand).resolves({});
    const totals = { tenant: 'acme', channel: 'orders', messageCount: 7, lastMessageAt: now };
    expect(await store.putChannelTotals(totals, now)).toBe('written');
    expect(mock.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: {
        pk: 'CHANNEL#acme#orders',
        sk: 'STATS',
        messageCount: 7,
        lastMessageAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR #count <= :count',
    });
    mock.on(PutCommand).rejects(conditionFailed());
    expect(await store.putChannelTotals(totals, now)).toBe('stale');
  });

  it('writes plain stored statuses in bulk, retrying unprocessed items, and reports what stayed unwritten', async () => {
    const statuses = Array.from({ length: 30 }, (_, index) => ({
      tenant: 'acme',
      id: `m${index}`,
      channel: 'orders',
      storedAt: now,
    }));
    let calls = 0;
    mock
      .on(BatchWriteCommand)
      .callsFake(
        (input: { RequestItems: Record<string, { PutRequest: { Item: { id: string } } }[]> }) => {
          calls += 1;
          const requests = input.RequestItems['herald-metadata'] ?? [];
          // m3 is throttled every time; everything else goes through.
          const stuck = requests.filter((request) => request.PutRequest.Item.id === 'm3');
          return { UnprocessedItems: stuck.length ? { 'herald-metadata': stuck } : {} };
        },
      );
    const failed = await store.putStored(statuses, now);
    expect([...failed.keys()]).toEqual(['m3']);
    const first =
      mock.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['herald-metadata'];
    expect(first).toHaveLength(25);
    expect(first?.[0]?.PutRequest?.Item).toEqual({
      pk: 'MSG#acme#m0',
      sk: 'STATUS',
      id: 'm0',
      tenant: 'acme',
      channel: 'orders',
      status: 'stored',
      storedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    // Two chunks (25 + 5), then three retries of the one stuck item.
    expect(calls).toBe(5);
  });

  it('wraps other failures in MetadataStoreError with the cause', async () => {
    mock
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const error = await store
      .markStored({ tenant: 'acme', id: 'm1', channel: 'orders', storedAt: now }, now)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MetadataStoreError);
    expect((error as Error).cause).toMatchObject({ name: 'ThrottlingException' });
  });
});
