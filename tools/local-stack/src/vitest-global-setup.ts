/**
 * Vitest global setup for every project's integration tests: one real stack per test run
 * (PostgreSQL, the AWS edge with SQS/SNS/dynalite), on free loopback ports, torn down after.
 */
import type { TestProject } from 'vitest/node';
import type { StackInfo } from '@herald/testing';
import { startControlServer } from './control-server';
import { startStack } from './stack';

// vitest demands a default export from a global-setup file.
// eslint-disable-next-line import-x/no-default-export
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logs: string[] = [];
  const stack = await startStack({
    fast: true,
    nameSuffix: 'test',
    log: (source, line) => logs.push(`[${source}] ${line}`),
  }).catch((error: unknown) => {
    console.error(logs.slice(-50).join('\n'));
    throw error;
  });
  const control = await startControlServer(stack);
  const info: StackInfo = {
    region: stack.region,
    awsEndpoint: stack.awsEndpoint,
    databaseUrl: stack.databaseUrl,
    writerDatabaseUrl: stack.writerDatabaseUrl,
    readerDatabaseUrl: stack.readerDatabaseUrl,
    queueUrl: stack.queueUrl,
    dlqUrl: stack.dlqUrl,
    alertsTopicArn: stack.alertsTopicArn,
    opsTopicArn: stack.opsTopicArn,
    alertsEmail: stack.alertsEmail,
    metadataTable: stack.metadataTable,
    controlUrl: control.url,
  };
  project.provide('stack', info);
  return async () => {
    await control.close();
    await stack.stop();
  };
}
