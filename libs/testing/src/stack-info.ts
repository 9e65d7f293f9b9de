import type {} from 'vitest';

/**
 * What the integration-test global setup (tools/local-stack/src/vitest-global-setup.ts) starts
 * and hands to every `*.int.test.ts` through `inject('stack')`. Each test seeds and cleans its
 * own data: use a unique tenant, channel or queue per test.
 */
export interface StackInfo {
  readonly region: string;
  /** The single edge endpoint for SQS, SNS and DynamoDB (what AWS_ENDPOINT_URL is set to). */
  readonly awsEndpoint: string;
  /** Owner (superuser) connection: migrations, fixtures, assertions. */
  readonly databaseUrl: string;
  /** The worker's role: DML on the tables. */
  readonly writerDatabaseUrl: string;
  /** The ingest's role: SELECT only. */
  readonly readerDatabaseUrl: string;
  /** The main queue and its DLQ (redrive after `maxReceiveCount`), created fresh for the run. */
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly alertsTopicArn: string;
  readonly opsTopicArn: string;
  /** Email subscription of the alerts topic: alerts land in the edge's mailbox. */
  readonly alertsEmail: string;
  readonly metadataTable: string;
  /**
   * Loopback control endpoint of the stack for chaos tests:
   * `POST {controlUrl}/postgres/stop`, `/postgres/start`, `/aws/stop`, `/aws/start`.
   */
  readonly controlUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
