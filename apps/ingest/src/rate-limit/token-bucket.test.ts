import { describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter } from './token-bucket';

describe('TokenBucketRateLimiter', () => {
  it('allows a burst, refuses the next, and refills at the rate', () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 10, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('k').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('k');
    expect(refused).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 1,
      limit: 3,
      windowSeconds: 1,
    });
    now = 100;
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('never fills past the burst', () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 2, now: () => now });
    now = 1_000_000;
    expect(limiter.take('k').remaining).toBe(1);
  });

  it('gives a spent token back on refund, never past the burst', () => {
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 2, now: () => 0 });
    limiter.take('k');
    limiter.take('k');
    expect(limiter.take('k').allowed).toBe(false);
    limiter.refund('k');
    expect(limiter.take('k').allowed).toBe(true);
    for (let index = 0; index < 5; index += 1) limiter.refund('k');
    expect(limiter.peek('k').remaining).toBe(2);
    limiter.refund('never-taken');
    expect(limiter.peek('never-taken').remaining).toBe(2);
  });

  it('rejects nonsense options', () => {
    expect(() => new TokenBucketRateLimiter({ ratePerSecond: 0, burst: 1 })).toThrow(
      /ratePerSecond/,
    );
    expect(() => new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});
