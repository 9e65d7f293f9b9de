import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { METADATA_KEYS } from '@herald/config';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionAws } from './provision-aws';

let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws({ port: 0 });
});

afterAll(async () => {
  await aws.close();
});

describe('provisionAws', () => {
  it('enables TTL on the metadata table as the CDK app does, and runs again unchanged', async () => {
    const names = {
      queue: 'p',
      dlq: 'p-dlq',
      alertsTopic: 'p-alerts',
      opsTopic: 'p-ops',
      table: 'p-metadata',
      email: 'ops@test',
    };
    await provisionAws(aws.url, 'us-east-1', names);
    await provisionAws(aws.url, 'us-east-1', names);
    const dynamodb = new DynamoDBClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    try {
      const { TimeToLiveDescription } = await dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: names.table }),
      );
      expect(TimeToLiveDescription).toEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: METADATA_KEYS.ttlAttribute,
      });
    } finally {
      dynamodb.destroy();
    }
  });
});
