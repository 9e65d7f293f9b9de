import { describe, expect, it, vi } from 'vitest';
import { CachedReadiness } from './readiness';

describe('CachedReadiness', () => {
  it('reports each dependency and caches the report', async () => {
    let now = 0;
    const postgres = vi.fn(() => Promise.resolve());
    const sqs = vi.fn(() => Promise.reject(new Error('ECONNREFUSED')));
    const readiness = new CachedReadiness(
      [
        { name: 'postgres', check: postgres },
        { name: 'sqs', check: sqs },
      ],
      { cacheMs: 2_000, timeoutMs: 100, now: () => now },
    );
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: { postgres: 'ok', sqs: 'failed' },
    });
    now = 1_999;
    await readiness.report();
    expect(postgres).toHaveBeenCalledTimes(1);
    now = 2_000;
    await readiness.report();
    expect(postgres).toHaveBeenCalledTimes(2);
  });

  it('fails a check that hangs past the timeout', async () => {
    const readiness = new CachedReadiness(
      [{ name: 'dynamodb', check: () => new Promise(() => undefined) }],
      { cacheMs: 0, timeoutMs: 20 },
    );
    expect(await readiness.report()).toEqual({ ready: false, checks: { dynamodb: 'failed' } });
  });
});
