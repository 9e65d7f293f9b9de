import { describe, expect, it } from 'vitest';
import { postgresUrl } from './client';

describe('postgresUrl', () => {
  it('escapes credentials that contain URL delimiters', () => {
    const url = postgresUrl({
      host: 'db.internal',
      port: 5432,
      database: 'herald',
      user: 'app',
      password: 'p@ss:w/rd?#',
    });
    expect(url).toBe('postgres://app:p%40ss%3Aw%2Frd%3F%23@db.internal:5432/herald');
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.password)).toBe('p@ss:w/rd?#');
  });
});
