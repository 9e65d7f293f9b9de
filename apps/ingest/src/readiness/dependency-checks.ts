import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Pool } from 'pg';
import type { DependencyCheck } from './readiness';

export interface DependencyCheckTargets {
  readonly pool: Pick<Pool, 'query'>;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly queueUrl: string;
  readonly metadataTable: string;
}

/**
 * What `/readyz` asks: PostgreSQL answers `select 1`, the queue its ARN, the metadata table a
 * GetItem (of a key nothing writes). Each call is the cheapest the ingest's role may make.
 */
export function dependencyChecks(targets: DependencyCheckTargets): DependencyCheck[] {
  return [
    { name: 'postgres', check: () => targets.pool.query('select 1') },
    {
      name: 'sqs',
      check: (signal) =>
        targets.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: targets.queueUrl,
            AttributeNames: ['QueueArn'],
          }),
          { abortSignal: signal },
        ),
    },
    {
      name: 'dynamodb',
      check: (signal) =>
        targets.dynamodb.send(
          new GetCommand({
            TableName: targets.metadataTable,
            Key: { pk: 'READINESS', sk: 'PROBE' },
          }),
          { abortSignal: signal },
        ),
    },
  ];
}
