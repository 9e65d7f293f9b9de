import { describe, expect, it } from 'vitest';
import { ConfigError } from '@herald/config';
import { loadConfig } from '../config';

const base = {
  AWS_REGION: 'eu-west-1',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/herald-messages',
  METADATA_TABLE: 'herald-metadata',
  DATABASE_URL: 'postgres://u:p@db:5432/herald',
};

describe('the overload bounds in the ingest config', () => {
  it('defaults to 64 requests in flight and a 1 s event loop delay', () => {
    expect(loadConfig(base)).toMatchObject({ MAX_IN_FLIGHT: 64, MAX_EVENT_LOOP_DELAY_MS: 1_000 });
  });

  it('takes 0 to switch the event loop bound off', () => {
    const config = loadConfig({ ...base, MAX_IN_FLIGHT: '8', MAX_EVENT_LOOP_DELAY_MS: '0' });
    expect(config).toMatchObject({ MAX_IN_FLIGHT: 8, MAX_EVENT_LOOP_DELAY_MS: 0 });
  });

  it.each([
    ['MAX_IN_FLIGHT', '0', 'requests ≥ 1'],
    ['MAX_IN_FLIGHT', 'many', 'requests ≥ 1'],
    ['MAX_EVENT_LOOP_DELAY_MS', '-5', 'milliseconds ≥ 0'],
  ])('refuses %s=%s, naming the variable', (name, value, expected) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(
      new RegExp(`${name}.*${expected}`),
    );
  });
});
