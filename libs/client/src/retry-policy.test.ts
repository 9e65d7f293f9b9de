import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, sleep } from './retry-policy';

const RETRY = { maxAttempts: 5, maxElapsedMs: 30_000, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelayMs', () => {
  it('draws uniformly below a ceiling that doubles per attempt', () => {
    expect(backoffDelayMs(1, RETRY, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, RETRY, () => 0.5)).toBe(200);
    expect(backoffDelayMs(2, RETRY, () => 0)).toBe(0);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelayMs(30, RETRY, () => 0.999)).toBe(999);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('5')).toBe(5_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('Tue, 01 Dec 2026 20:00:00 GMT');
    expect(parseRetryAfter('Tue, 01 Dec 2026 20:00:03 GMT', now)).toBe(3_000);
  });

  it('treats a date in the past as now', () => {
    const now = Date.parse('Tue, 01 Dec 2026 20:00:00 GMT');
    expect(parseRetryAfter('Tue, 01 Dec 2026 19:00:00 GMT', now)).toBe(0);
  });

  it.each([null, '', 'soon', '-1', '1.5'])('ignores %j', (value) => {
    expect(parseRetryAfter(value)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
  });
});
