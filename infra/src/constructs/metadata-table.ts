import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { METADATA_KEYS, RESOURCE_NAMES } from '@herald/config';
import { stageResourceName } from '../config/naming';
import type { StageConfig } from '../config/types';

export interface MetadataTableProps {
  readonly config: StageConfig;
}

/**
 * The single-table metadata store (status, channel stats, idempotency claims): on-demand,
 * point-in-time recovery, TTL on `expiresAt`. The physical name makes an accidental replacement
 * fail loudly instead of silently creating an empty table.
 */
export class MetadataTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: MetadataTableProps) {
    super(scope, id);
    const { config } = props;
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: stageResourceName(config.stage, RESOURCE_NAMES.metadataTable),
      partitionKey: { name: METADATA_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: METADATA_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: METADATA_KEYS.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.protectData,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
