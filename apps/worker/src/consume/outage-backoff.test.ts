import { describe, expect, it } from 'vitest';
import { OUTAGE_BACKOFF_MS, OutageBackoff } from './outage-backoff';

describe('OutageBackoff', () => {
  it('grows the pause with consecutive outages up to its cap, and clears it on success', () => {
    let now = 0;
    const backoff = new OutageBackoff(() => now);
    expect(backoff.delayMs()).toBe(0);
    const pauses = Array.from({ length: 7 }, () => {
      backoff.failed();
      const pause = backoff.delayMs();
      now += pause;
      return pause;
    });
    expect(pauses).toEqual([1_000, 2_000, 5_000, 10_000, 15_000, 15_000, 15_000]);
    backoff.failed();
    backoff.succeeded();
    expect(backoff.delayMs()).toBe(0);
  });

  it('counts failures of batches already running during a pause as the same outage', () => {
    let now = 0;
    const backoff = new OutageBackoff(() => now);
    backoff.failed();
    now += 10;
    backoff.failed();
    backoff.failed();
    expect(backoff.delayMs()).toBe(990);
    now += 990;
    backoff.failed();
    expect(backoff.delayMs()).toBe(2_000);
  });

  it('stays under the health stall margin', () => {
    expect(Math.max(...OUTAGE_BACKOFF_MS)).toBeLessThanOrEqual(15_000);
  });
});
