import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { driverErrorOf, isRowRejection } from './postgres-errors';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('driverErrorOf', () => {
  it('finds the pg error under drizzle and never repeats the bound parameters', () => {
    const wrapped = new DrizzleQueryError(
      'insert into messages …',
      ['secret body'],
      pgError('22P05', 'unsupported Unicode escape sequence'),
    );
    expect(driverErrorOf(wrapped)).toEqual({
      code: '22P05',
      message: 'unsupported Unicode escape sequence',
    });
    expect(
      JSON.stringify(driverErrorOf(new DrizzleQueryError('q', ['secret body']))),
    ).not.toContain('secret');
  });
});

describe('isRowRejection', () => {
  it.each([
    ['22P05', true],
    ['23502', true],
    ['54000', true],
    ['57P01', false],
    ['ECONNREFUSED', false],
    [undefined, false],
  ])('classifies %s as a row rejection: %s', (code, expected) => {
    expect(isRowRejection({ message: 'x', ...(code === undefined ? {} : { code }) })).toBe(
      expected,
    );
  });
});
