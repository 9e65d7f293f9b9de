import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  OverloadShedder,
  perfHooksDelaySource,
  type EventLoopDelaySource,
} from './overload-shedder';

class FakeDelay implements EventLoopDelaySource {
  meanMs = 0;
  closed = false;
  takeMeanMs(): number {
    return this.meanMs;
  }
  close(): void {
    this.closed = true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('OverloadShedder', () => {
  it('admits up to maxInFlight, sheds the next, and admits again once one is released', () => {
    const shedder = new OverloadShedder({ maxInFlight: 2, maxEventLoopDelayMs: 0 });
    const first = shedder.admit();
    const second = shedder.admit();
    expect([first.admitted, second.admitted]).toEqual([true, true]);
    expect(shedder.admit()).toEqual({ admitted: false, reason: 'in_flight' });
    if (first.admitted) first.release();
    expect(shedder.admit().admitted).toBe(true);
    expect(shedder.snapshot()).toMatchObject({ inFlight: 2, shed: { in_flight: 1 } });
  });

  it('counts a double release once', () => {
    const shedder = new OverloadShedder({ maxInFlight: 1, maxEventLoopDelayMs: 0 });
    const admission = shedder.admit();
    if (!admission.admitted) throw new Error('expected admission');
    admission.release();
    admission.release();
    expect(shedder.snapshot().inFlight).toBe(0);
    expect(shedder.admit().admitted).toBe(true);
    expect(shedder.admit().admitted).toBe(false);
  });

  it('sheds while the event loop delay of the last window exceeds the bound, then recovers', () => {
    vi.useFakeTimers();
    const delay = new FakeDelay();
    const shedder = new OverloadShedder({
      maxInFlight: 100,
      maxEventLoopDelayMs: 200,
      sampleIntervalMs: 500,
      delaySource: delay,
    });
    expect(shedder.admit().admitted).toBe(true);
    delay.meanMs = 350;
    vi.advanceTimersByTime(500);
    expect(shedder.admit()).toEqual({ admitted: false, reason: 'event_loop_delay' });
    delay.meanMs = 40;
    vi.advanceTimersByTime(500);
    expect(shedder.admit().admitted).toBe(true);
    expect(shedder.snapshot().shed.event_loop_delay).toBe(1);
    shedder.close();
    expect(delay.closed).toBe(true);
  });

  it('never samples the event loop when the delay bound is 0', () => {
    const delay = new FakeDelay();
    delay.meanMs = 10_000;
    const shedder = new OverloadShedder({
      maxInFlight: 1,
      maxEventLoopDelayMs: 0,
      delaySource: delay,
    });
    expect(shedder.admit().admitted).toBe(true);
    shedder.close();
    expect(delay.closed).toBe(false);
  });

  it.each([
    [{ maxInFlight: 0, maxEventLoopDelayMs: 0 }, /maxInFlight must be an integer ≥ 1, got 0/],
    [{ maxInFlight: 1.5, maxEventLoopDelayMs: 0 }, /maxInFlight/],
    [{ maxInFlight: 1, maxEventLoopDelayMs: -1 }, /maxEventLoopDelayMs must be ≥ 0/],
    [{ maxInFlight: 1, maxEventLoopDelayMs: 1, sampleIntervalMs: 0 }, /sampleIntervalMs/],
  ])('rejects nonsense options %j', (options, message) => {
    expect(() => new OverloadShedder(options)).toThrow(message);
  });
});

describe('perfHooksDelaySource', () => {
  it('sees a blocked event loop', async () => {
    const source = perfHooksDelaySource(10);
    source.takeMeanMs();
    // A window's first timer tick only starts the clock: let it pass before blocking.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const until = Date.now() + 600;
    while (Date.now() < until) {
      // Block the loop: the histogram's timer cannot fire meanwhile.
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    const mean = source.takeMeanMs();
    source.close();
    expect(mean).toBeGreaterThan(30);
  });
});
