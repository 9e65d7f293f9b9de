import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { RESOURCE_NAMES } from '@herald/config';
import { POSTGRES_PORT } from '../config/runtime';
import type { StageConfig } from '../config/types';

/** The stateful resources the containers are wired to (all owned by the data stack). */
export interface RuntimeResources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly table: dynamodb.ITableV2;
  readonly alertsTopic: sns.ITopic;
  readonly database: rds.IDatabaseInstance;
  /** `username`/`password` of the database owner (the migration task only). */
  readonly ownerSecret: secretsmanager.ISecret;
  /** `username`/`password` of the DML-only login (worker). */
  readonly writerSecret: secretsmanager.ISecret;
  /** `username`/`password` of the read-only login (ingest). */
  readonly readerSecret: secretsmanager.ISecret;
}

/**
 * The environment both services get (the runtime contract). Values only: anything secret comes
 * from {@link databaseSecrets}.
 */
export function commonEnvironment(
  scope: IConstruct,
  config: StageConfig,
  resources: RuntimeResources,
): Record<string, string> {
  return {
    AWS_REGION: Stack.of(scope).region,
    LOG_LEVEL: config.logLevel,
    QUEUE_URL: resources.queue.queueUrl,
    METADATA_TABLE: resources.table.tableName,
    ...databaseEnvironment(resources),
  };
}

/** Where PostgreSQL is; RDS enforces TLS, so clients must verify it (`DATABASE_SSL`). */
export function databaseEnvironment(resources: RuntimeResources): Record<string, string> {
  return {
    DATABASE_HOST: resources.database.dbInstanceEndpointAddress,
    DATABASE_PORT: String(POSTGRES_PORT),
    DATABASE_NAME: RESOURCE_NAMES.database,
    DATABASE_SSL: 'true',
  };
}

/**
 * `DATABASE_USER`/`DATABASE_PASSWORD` (or `<prefix>_USER`/`<prefix>_PASSWORD`) injected by ECS
 * from a Secrets Manager secret at task start; the execution role alone may read it.
 */
export function databaseSecrets(
  secret: secretsmanager.ISecret,
  prefix = 'DATABASE',
): Record<string, ecs.Secret> {
  return {
    [`${prefix}_USER`]: ecs.Secret.fromSecretsManager(secret, 'username'),
    [`${prefix}_PASSWORD`]: ecs.Secret.fromSecretsManager(secret, 'password'),
  };
}
