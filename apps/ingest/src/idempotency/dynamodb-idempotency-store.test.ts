import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../errors/api-error';
import { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store';

const dynamodb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-01-01T00:00:00Z');
const claim = {
  tenant: 'acme',
  key: 'k1',
  messageId: 'id-1',
  requestHash: 'h1',
  acceptedAt: NOW.toISOString(),
};
const conflict = () =>
  new ConditionalCheckFailedException({ message: 'conditional check failed', $metadata: {} });

function store() {
  return new DynamoDbIdempotencyStore({
    client: dynamodb as unknown as DynamoDBDocumentClient,
    tableName: 'meta',
    now: () => NOW,
  });
}

beforeEach(() => {
  dynamodb.reset();
});

describe('DynamoDbIdempotencyStore', () => {
  it('claims with a conditional put that lets expired claims be replaced', async () => {
    dynamodb.on(PutCommand).resolves({});
    expect(await store().claim(claim)).toEqual({ outcome: 'claimed' });
    const input = dynamodb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt < :now');
    expect(input?.Item).toMatchObject({
      pk: 'IDEM#acme#k1',
      sk: 'CLAIM',
      messageId: 'id-1',
      requestHash: 'h1',
      state: 'pending',
      expiresAt: NOW.getTime() / 1000 + 86_400,
    });
  });

  it('returns the live claim another task made', async () => {
    dynamodb.on(PutCommand).rejects(conflict());
    dynamodb.on(GetCommand).resolves({
      Item: {
        ...claim,
        pk: 'x',
        sk: 'CLAIM',
        state: 'accepted',
        expiresAt: NOW.getTime() / 1000 + 10,
      },
    });
    expect(await store().claim(claim)).toEqual({
      outcome: 'existing',
      claim: { ...claim, state: 'accepted' },
    });
    expect(dynamodb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('ignores a claim that expired but was not deleted yet, and claims again', async () => {
    dynamodb.on(PutCommand).rejectsOnce(conflict()).resolves({});
    dynamodb
      .on(GetCommand)
      .resolves({ Item: { ...claim, state: 'accepted', expiresAt: NOW.getTime() / 1000 - 1 } });
    expect(await store().claim(claim)).toEqual({ outcome: 'claimed' });
  });

  it('maps an unreachable table to DependencyUnavailableError', async () => {
    dynamodb.on(PutCommand).rejects(new Error('ECONNREFUSED'));
    await expect(store().claim(claim)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('marks a claim accepted only if it is still this message’s', async () => {
    dynamodb.on(UpdateCommand).rejects(conflict());
    await expect(store().markAccepted(claim)).resolves.toBeUndefined();
    expect(dynamodb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: 'messageId = :id',
      ExpressionAttributeValues: { ':accepted': 'accepted', ':id': 'id-1' },
    });
  });
});
