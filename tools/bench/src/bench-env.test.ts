import { describe, expect, it } from 'vitest';
import { benchInt } from './bench-env';

describe('benchInt', () => {
  it('returns the default when the variable is unset or empty', () => {
    expect(benchInt({}, 'BENCH_X', 10, 1, 60)).toBe(10);
    expect(benchInt({ BENCH_X: '' }, 'BENCH_X', 10, 1, 60)).toBe(10);
  });

  it('parses a value in range', () => {
    expect(benchInt({ BENCH_X: '60' }, 'BENCH_X', 10, 1, 60)).toBe(60);
  });

  it.each(['0', '61', '2.5', 'ten'])('names the variable and the range for %j', (raw) => {
    expect(() => benchInt({ BENCH_X: raw }, 'BENCH_X', 10, 1, 60)).toThrow(
      `BENCH_X: expected a whole number from 1 to 60, got ${JSON.stringify(raw)}`,
    );
  });
});
