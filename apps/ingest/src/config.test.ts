import { describe, expect, it } from 'vitest';
import { ConfigError } from '@herald/config';
import { loadConfig } from './config';

const base = {
  AWS_REGION: 'eu-west-1',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/herald-messages',
  METADATA_TABLE: 'herald-metadata',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db:5432/herald' });
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      DATABASE_SSL: false,
      BATCH_LINGER_MS: 5,
      API_KEY_CACHE_TTL_SECONDS: 30,
      RATE_LIMIT_PER_SECOND: 100,
      RATE_LIMIT_BURST: 200,
    });
    expect(config.DATABASE_URL).toBe('postgres://u:p@db:5432/herald');
  });

  it('builds the database URL from the parts ECS injects', () => {
    const config = loadConfig({
      ...base,
      DATABASE_HOST: 'db.internal',
      DATABASE_NAME: 'herald',
      DATABASE_USER: 'ingest',
      DATABASE_PASSWORD: 'p@ss/word',
      DATABASE_SSL: 'true',
    });
    expect(config.DATABASE_URL).toBe('postgres://ingest:p%40ss%2Fword@db.internal:5432/herald');
    expect(config.DATABASE_SSL).toBe(true);
  });

  it('names each missing database part when DATABASE_URL is absent', () => {
    expect(() => loadConfig({ ...base, DATABASE_HOST: 'db' })).toThrow(
      /DATABASE_NAME: required when DATABASE_URL is unset/,
    );
  });

  it.each([
    [
      'a table name DynamoDB refuses',
      { METADATA_TABLE: 'ab' },
      /METADATA_TABLE: expected a DynamoDB table name of at least 3/,
    ],
    [
      'a pool size over 100',
      { DATABASE_POOL_MAX: '101' },
      /DATABASE_POOL_MAX: expected a pool size of at most 100/,
    ],
  ])('rejects %s, as the worker does', (_name, override, pattern) => {
    expect(() => loadConfig({ ...base, DATABASE_URL: 'postgres://h/d', ...override })).toThrow(
      pattern,
    );
  });

  it('stops on a bad value, naming the variable and the expected form', () => {
    let error: unknown;
    try {
      loadConfig({
        ...base,
        DATABASE_URL: 'postgres://h/d',
        PORT: 'http',
        BATCH_LINGER_MS: '-1',
        AWS_REGION: '',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: expected a port number/);
    expect(message).toMatch(/BATCH_LINGER_MS: expected milliseconds ≥ 0/);
    expect(message).toMatch(/AWS_REGION: required/);
  });
});
