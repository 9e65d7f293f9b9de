import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { UsageMeter } from './usage-meter';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

/** Answers every request of `client` with `answer(input)` without any network. */
function stub(
  client: SQSClient | DynamoDBDocumentClient,
  answer: (input: Record<string, unknown>) => unknown,
) {
  const inputs: Record<string, unknown>[] = [];
  (client as SQSClient).middlewareStack.add(
    () => (args) => {
      const input = args.input as Record<string, unknown>;
      inputs.push(input);
      const output = answer(input);
      if (output instanceof Error) return Promise.reject(output);
      return Promise.resolve({
        output: { $metadata: {}, ...(output as object) } as never,
        response: {},
      });
    },
    { step: 'serialize', name: 'stub', priority: 'high' },
  );
  return inputs;
}

describe('UsageMeter', () => {
  it('counts requests per command and the write units DynamoDB reports', async () => {
    const meter = new UsageMeter();
    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'eu-west-1', credentials }),
    );
    const sqs = new SQSClient({ region: 'eu-west-1', credentials });
    meter.attach('dynamodb', dynamo);
    meter.attach('sqs', sqs);
    let condition = false;
    const inputs = stub(dynamo, () =>
      condition
        ? Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' })
        : { ConsumedCapacity: { TableName: 't', CapacityUnits: 2 } },
    );
    stub(sqs, () => ({ Messages: [] }));

    await dynamo.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } }));
    condition = true;
    await expect(
      dynamo.send(
        new UpdateCommand({
          TableName: 't',
          Key: { pk: 'a', sk: 'b' },
          UpdateExpression: 'SET x = :x',
          ExpressionAttributeValues: { ':x': 1 },
        }),
      ),
    ).rejects.toThrow();
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'http://127.0.0.1/q' }));

    expect(inputs.every((input) => input.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(meter.usage()).toEqual({
      requests: {
        dynamodb: { PutItemCommand: 1, UpdateItemCommand: 1 },
        sqs: { ReceiveMessageCommand: 1 },
      },
      dynamoWriteUnits: 3,
    });
  });
});
