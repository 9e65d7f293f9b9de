import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envBoolean, envPort, envPostgresUrl, parseEnv } from './env';

const schema = z.object({
  PORT: envPort.default(3000),
  DEBUG: envBoolean.default(false),
  DATABASE_URL: envPostgresUrl,
});

describe('parseEnv', () => {
  it('coerces and defaults valid values', () => {
    expect(
      parseEnv('app', schema, { DATABASE_URL: 'postgres://u:p@localhost:5432/db', DEBUG: 'false' }),
    ).toEqual({
      PORT: 3000,
      DEBUG: false,
      DATABASE_URL: 'postgres://u:p@localhost:5432/db',
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv('app', schema, { PORT: '', DATABASE_URL: 'postgresql://h/db' }).PORT).toBe(
      3000,
    );
  });

  it('names every bad variable and the expected form', () => {
    let error: unknown;
    try {
      parseEnv('ingest', schema, { PORT: 'eighty', DEBUG: 'yes', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('ingest: invalid configuration');
    expect(message).toMatch(/PORT: expected a port number/);
    expect(message).toMatch(/DEBUG: expected true or false/);
    expect(message).toMatch(/DATABASE_URL: expected postgres:\/\//);
    expect((error as ConfigError).issues).toHaveLength(3);
  });

  it('rejects ports out of range', () => {
    expect(() => parseEnv('a', schema, { PORT: '70000', DATABASE_URL: 'postgres://h/d' })).toThrow(
      /PORT: expected a port between 0 and 65535/,
    );
  });
});
