import { ConfigError } from '@herald/config';
import { describe, expect, it } from 'vitest';
import { loadMigrateConfig, loadConfig } from './config';

const minimal = {
  AWS_REGION: 'eu-west-1',
  QUEUE_URL: 'http://127.0.0.1:4566/000000000000/herald-messages',
  METADATA_TABLE: 'herald-metadata',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:herald-alerts',
  DATABASE_URL: 'postgres://worker:secret@127.0.0.1:5432/herald',
};

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(minimal)).toMatchObject({
      HOST: '127.0.0.1',
      HEALTH_PORT: 8081,
      LOG_LEVEL: 'info',
      CONSUMERS: 2,
      BATCH_SIZE: 10,
      VISIBILITY_TIMEOUT_SECONDS: 60,
      HEARTBEAT_SECONDS: 20,
      WAIT_TIME_SECONDS: 20,
      DATABASE_POOL_MAX: 4,
      DRAIN_SECONDS: 25,
      CHANNEL_FLUSH_MS: 5_000,
      databaseUrl: minimal.DATABASE_URL,
      DATABASE_SSL: false,
    });
  });

  it('takes CHANNEL_FLUSH_MS from 50 to 60000 ms and names it otherwise', () => {
    expect(loadConfig({ ...minimal, CHANNEL_FLUSH_MS: '200' }).CHANNEL_FLUSH_MS).toBe(200);
    const error = errorOf(() => loadConfig({ ...minimal, CHANNEL_FLUSH_MS: '10' }));
    expect(error.issues.join('\n')).toMatch(/CHANNEL_FLUSH_MS: expected at least 50/);
  });

  it('builds the connection string from the parts ECS injects, escaping the password', () => {
    const { DATABASE_URL: _unused, ...rest } = minimal;
    const config = loadConfig({
      ...rest,
      DATABASE_HOST: 'db.internal',
      DATABASE_NAME: 'herald',
      DATABASE_USER: 'herald_writer',
      DATABASE_PASSWORD: 'p@ss/word',
      DATABASE_SSL: 'true',
    });
    expect(config.databaseUrl).toBe(
      'postgres://herald_writer:p%40ss%2Fword@db.internal:5432/herald',
    );
    expect(config.DATABASE_SSL).toBe(true);
  });

  it('names each missing database part when DATABASE_URL is unset', () => {
    const { DATABASE_URL: _unused, ...rest } = minimal;
    const error = errorOf(() => loadConfig({ ...rest, DATABASE_HOST: 'db' }));
    expect(error.issues.join('\n')).toMatch(/DATABASE_NAME: required when DATABASE_URL is unset/);
    expect(error.issues.join('\n')).toMatch(/DATABASE_PASSWORD: required/);
  });

  it.each([
    ['AWS_REGION', { AWS_REGION: undefined }, /AWS_REGION/],
    ['BATCH_SIZE over 10', { BATCH_SIZE: '11' }, /BATCH_SIZE: expected at most 10/],
    ['CONSUMERS of zero', { CONSUMERS: '0' }, /CONSUMERS: expected at least 1/],
    ['a non-URL queue', { QUEUE_URL: 'herald-messages' }, /QUEUE_URL: expected an http\(s\) URL/],
    [
      'a topic that is not an ARN',
      { ALERTS_TOPIC_ARN: 'herald-alerts' },
      /ALERTS_TOPIC_ARN: expected arn:aws:sns/,
    ],
    [
      'a heartbeat as long as the visibility timeout',
      { HEARTBEAT_SECONDS: '60' },
      /HEARTBEAT_SECONDS: expected fewer seconds/,
    ],
    [
      'a pool size over 100 (DATABASE_POOL_MAX, the name both services use)',
      { DATABASE_POOL_MAX: '101' },
      /DATABASE_POOL_MAX: expected a pool size of at most 100/,
    ],
    [
      'a table name DynamoDB refuses',
      { METADATA_TABLE: 'ab' },
      /METADATA_TABLE: expected a DynamoDB table name of at least 3/,
    ],
    [
      'a wait time over 20 s',
      { WAIT_TIME_SECONDS: '21' },
      /WAIT_TIME_SECONDS: expected at most 20/,
    ],
  ])('rejects %s with a message naming the variable', (_name, override, pattern) => {
    expect(() => loadConfig({ ...minimal, ...override })).toThrow(pattern);
  });
});

it('reads the pool size from DATABASE_POOL_MAX, as the ingest does', () => {
  expect(loadConfig({ ...minimal, DATABASE_POOL_MAX: '12' }).DATABASE_POOL_MAX).toBe(12);
});

describe('loadMigrateConfig', () => {
  it('defaults the reader role name and leaves roles off without passwords', () => {
    const config = loadMigrateConfig({ DATABASE_URL: minimal.DATABASE_URL });
    expect(config).toMatchObject({
      DATABASE_READER_USER: 'herald_reader',
      databaseUrl: minimal.DATABASE_URL,
    });
    expect(config.DATABASE_READER_PASSWORD).toBeUndefined();
    expect(config.MIGRATIONS_DIR).toBeUndefined();
  });

  it('requires a database', () => {
    expect(() => loadMigrateConfig({})).toThrow(
      /DATABASE_HOST: required when DATABASE_URL is unset/,
    );
  });
});
