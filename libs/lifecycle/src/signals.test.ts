import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger } from '@herald/observability';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onShutdownSignal, type ShutdownOptions } from './signals';

function setUp(stop: ShutdownOptions['stop'], budgetMs = 10_000) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const signals = new EventEmitter();
  const exits: number[] = [];
  const stopMock = vi.fn(stop);
  onShutdownSignal({
    logger: createLogger({ service: 'test', destination }),
    budgetMs,
    closeMarginMs: 500,
    name: 'worker',
    stop: stopMock,
    signals,
    exit: (code) => exits.push(code),
    clock: () => 1_000_000,
  });
  return { signals, exits, stop: stopMock, lines };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('onShutdownSignal', () => {
  it.each(['SIGTERM', 'SIGINT'])('drains once on %s and exits 0 when clean', async (signal) => {
    const { signals, exits, stop, lines } = setUp(() => Promise.resolve(true));
    signals.emit(signal, signal);
    await vi.waitFor(() => {
      expect(exits).toEqual([0]);
    });
    // The deadline handed to stop keeps the close margin back from the budget.
    expect(stop).toHaveBeenCalledWith(1_000_000 + 10_000 - 500);
    expect(lines.map((line) => line.msg)).toEqual(['worker: shutting down', 'worker stopped']);
  });

  it('exits 1 when the drain abandoned something', async () => {
    const { signals, exits } = setUp(() => Promise.resolve(false));
    signals.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => {
      expect(exits).toEqual([1]);
    });
  });

  it('exits 1 when the drain throws, logging the error', async () => {
    const { signals, exits, lines } = setUp(() => Promise.reject(new Error('pool end failed')));
    signals.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => {
      expect(exits).toEqual([1]);
    });
    expect(lines.at(-1)).toMatchObject({
      msg: 'shutdown failed',
      err: { message: 'pool end failed' },
    });
  });

  it('exits 1 at once on a second signal, without a second drain', () => {
    const { signals, exits, stop } = setUp(() => new Promise<boolean>(() => undefined));
    signals.emit('SIGTERM', 'SIGTERM');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('exits 1 when the budget runs out before the drain ends', () => {
    vi.useFakeTimers();
    const { signals, exits } = setUp(() => new Promise<boolean>(() => undefined), 3_000);
    signals.emit('SIGTERM', 'SIGTERM');
    vi.advanceTimersByTime(2_999);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([1]);
  });
});
