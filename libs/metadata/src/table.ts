import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { METADATA_KEYS } from '@herald/config';

/** The metadata table's definition, for the local stack and tests (the CDK declares its own). */
export function metadataTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: METADATA_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: METADATA_KEYS.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: METADATA_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: METADATA_KEYS.sortKey, KeyType: 'RANGE' },
    ],
  };
}
