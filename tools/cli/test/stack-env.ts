import { inject } from 'vitest';
import '@herald/testing';

/** The environment that points `herald` at the test run's local stack (not the one on :4566). */
export function stackEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const stack = inject('stack');
  return {
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    AWS_REGION: stack.region,
    HERALD_QUEUE_URL: stack.queueUrl,
    HERALD_DLQ_URL: stack.dlqUrl,
    HERALD_METADATA_TABLE: stack.metadataTable,
    DATABASE_URL: stack.databaseUrl,
    USER: 'tester',
    ...overrides,
  };
}
