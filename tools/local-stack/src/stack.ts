import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RESOURCE_NAMES } from '@herald/config';
import { startLocalAws, type LocalAws } from '@herald/local-aws';
import { freePort } from './free-port';
import { startPostgres, type LocalPostgres } from './postgres';
import { provisionAws, type AwsResources } from './provision-aws';
import { LOCAL_ROLES, provisionDatabase } from './provision-db';

export interface StackOptions {
  /** Edge port for SQS, SNS and DynamoDB; 0 picks a free one. */
  awsPort?: number;
  /** PostgreSQL port; 0 picks a free one. */
  postgresPort?: number;
  /** Where PostgreSQL, DynamoDB and the mailbox keep data; a temp folder (removed on stop) when absent. */
  dataDir?: string;
  /** Test stacks trade durability for speed. */
  fast?: boolean;
  region?: string;
  /** Suffix for resource names, so several stacks never share a queue or table. */
  nameSuffix?: string;
  log?: (source: string, line: string) => void;
}

export interface LocalStack extends AwsResources {
  readonly region: string;
  readonly awsEndpoint: string;
  readonly databaseUrl: string;
  readonly writerDatabaseUrl: string;
  readonly readerDatabaseUrl: string;
  readonly alertsEmail: string;
  readonly postgres: LocalPostgres;
  readonly aws: LocalAws;
  /** Makes the AWS edge unreachable and reachable again on the same port, keeping its state (chaos tests). */
  restartAws(action: 'stop' | 'start'): Promise<void>;
  stop(): Promise<void>;
}

const POSTGRES_PASSWORD = 'postgres';
export const DEV_EMAIL = 'ops@herald.local';

/**
 * Starts everything Herald needs locally: PostgreSQL (embedded), and one AWS edge serving SQS,
 * SNS and DynamoDB (dynalite); then creates the queues, topics, table, schema and roles.
 */
export async function startStack(options: StackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? 'us-east-1';
  const log = options.log ?? (() => undefined);
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir
    ? resolve(options.dataDir)
    : await mkdtemp(join(tmpdir(), 'herald-stack-'));
  const postgres = await startPostgres({
    dataDir: join(dataDir, 'postgres'),
    port: options.postgresPort || (await freePort()),
    password: POSTGRES_PASSWORD,
    fast: options.fast ?? false,
    log: (line) => {
      log('postgres', line);
    },
  });
  const awsPort = options.awsPort ?? 0;
  const awsOptions = {
    host: '127.0.0.1',
    region,
    ...(temporary
      ? {}
      : { dynamodbPath: join(dataDir, 'dynamodb'), mailboxFile: join(dataDir, 'mailbox.jsonl') }),
    log: (line: Record<string, unknown>) => {
      log('aws', JSON.stringify(line));
    },
  };
  const aws = await startLocalAws({ ...awsOptions, port: awsPort });
  const suffix = options.nameSuffix ? `-${options.nameSuffix}` : '';
  const names = {
    queue: `${RESOURCE_NAMES.messageQueue}${suffix}`,
    dlq: `${RESOURCE_NAMES.deadLetterQueue}${suffix}`,
    alertsTopic: `${RESOURCE_NAMES.alertsTopic}${suffix}`,
    opsTopic: `${RESOURCE_NAMES.opsTopic}${suffix}`,
    table: `${RESOURCE_NAMES.metadataTable}${suffix}`,
    email: DEV_EMAIL,
  };
  try {
    await postgres.ensureDatabase(RESOURCE_NAMES.database);
    const databaseUrl = postgres.url('postgres', POSTGRES_PASSWORD, RESOURCE_NAMES.database);
    await provisionDatabase(databaseUrl);
    const resources = await provisionAws(aws.url, region, names);
    return {
      ...resources,
      region,
      awsEndpoint: aws.url,
      databaseUrl,
      writerDatabaseUrl: postgres.url(
        LOCAL_ROLES.writer.user,
        LOCAL_ROLES.writer.password,
        RESOURCE_NAMES.database,
      ),
      readerDatabaseUrl: postgres.url(
        LOCAL_ROLES.reader.user,
        LOCAL_ROLES.reader.password,
        RESOURCE_NAMES.database,
      ),
      alertsEmail: DEV_EMAIL,
      postgres,
      aws,
      restartAws: (action) => (action === 'stop' ? aws.suspend() : aws.resume()),
      stop: async () => {
        await Promise.allSettled([aws.close(), postgres.stop()]);
        if (temporary) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled([aws.close(), postgres.stop()]);
    throw error;
  }
}
