import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { STACK_OUTPUTS } from '@herald/config';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/types';
import { Database } from '../constructs/database';
import { Messaging } from '../constructs/messaging';
import { MetadataTable } from '../constructs/metadata-table';
import type { HeraldSecurityGroups } from '../constructs/security-groups';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroups: HeraldSecurityGroups;
}

/**
 * Everything stateful: PostgreSQL and its secrets, the metadata table, the queues and the topics
 * (their email subscriptions carry confirmation state). Deployed first and rarely; termination
 * protection and RETAIN policies in protected stages.
 */
export class DataStack extends Stack {
  readonly database: Database;
  readonly messaging: Messaging;
  readonly metadata: MetadataTable;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.database = new Database(this, 'Database', props);
    this.messaging = new Messaging(this, 'Messaging', { config });
    this.metadata = new MetadataTable(this, 'Metadata', { config });
    // What the `herald` CLI resolves a stage's resources from (`--stage`).
    const outputs = {
      [STACK_OUTPUTS.queueUrl.key]: this.messaging.queue.queueUrl,
      [STACK_OUTPUTS.deadLetterQueueUrl.key]: this.messaging.deadLetterQueue.queueUrl,
      [STACK_OUTPUTS.deadLetterQueueArn.key]: this.messaging.deadLetterQueue.queueArn,
      [STACK_OUTPUTS.metadataTable.key]: this.metadata.table.tableName,
      [STACK_OUTPUTS.alertsTopicArn.key]: this.messaging.alertsTopic.topicArn,
      [STACK_OUTPUTS.opsTopicArn.key]: this.messaging.opsTopic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
