import { ConfigError } from '@herald/config';
import { describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE, loadConfigOrExit } from './config-exit';

class ExitCalled extends Error {
  override readonly name = 'ExitCalled';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function run(load: () => unknown) {
  const lines: string[] = [];
  try {
    const value = loadConfigOrExit(load, {
      stderr: (line) => lines.push(line),
      exit: (code) => {
        throw new ExitCalled(code);
      },
    });
    return { value, lines, code: undefined };
  } catch (error) {
    if (error instanceof ExitCalled) return { value: undefined, lines, code: error.code };
    throw error;
  }
}

describe('loadConfigOrExit', () => {
  it('returns the configuration when it is valid', () => {
    expect(run(() => ({ PORT: 3000 }))).toEqual({
      value: { PORT: 3000 },
      lines: [],
      code: undefined,
    });
  });

  it('prints every bad variable and exits 2 on a ConfigError', () => {
    const result = run(() => {
      throw new ConfigError('worker', ['QUEUE_URL: expected an http(s) URL']);
    });
    expect(CONFIG_EXIT_CODE).toBe(2);
    expect(result).toEqual({
      value: undefined,
      lines: ['worker: invalid configuration\n  - QUEUE_URL: expected an http(s) URL'],
      code: 2,
    });
  });

  it('lets any other error through (a bug, not a bad configuration)', () => {
    expect(() =>
      run(() => {
        throw new TypeError('boom');
      }),
    ).toThrow(TypeError);
  });
});
