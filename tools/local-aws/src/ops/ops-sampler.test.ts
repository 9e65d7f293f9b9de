import { describe, expect, it } from 'vitest';
import { OpsSampler, quantile } from './ops-sampler';
import type { OpsReading, OpsSource, SettledMessage } from './ops-types';
import { uuidV7Time } from './uuid-time';

const queue = (visible: number) => ({ visible, inFlight: 0, delayed: 0, oldestAgeSeconds: 0 });

function scripted(readings: OpsReading[]): OpsSource {
  return {
    label: 'test',
    read: () => {
      const next = readings.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('edge unreachable'));
    },
  };
}

function reading(at: number, visible: number, settled: SettledMessage[] = []): OpsReading {
  return { at, queue: queue(visible), dlq: queue(0), alarms: [], mailbox: [], settled };
}

describe('quantile', () => {
  it('answers the nearest-rank value, and null for nothing', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(quantile([10, 20, 30, 40], 0.99)).toBe(40);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('uuidV7Time', () => {
  it('reads the timestamp of a UUIDv7 and nothing from other versions', () => {
    expect(uuidV7Time('01936f0e-8a4b-7c3d-9e2f-0a1b2c3d4e5f')).toBe(0x01936f0e8a4b);
    expect(uuidV7Time('01936f0e-8a4b-5c3d-9e2f-0a1b2c3d4e5f')).toBeUndefined();
    expect(uuidV7Time('not an id')).toBeUndefined();
  });
});

describe('OpsSampler', () => {
  it('keeps depth per tick, rates over 5 s and latency from accept to store', async () => {
    const t0 = 1_700_000_000_000;
    const settled = [100, 200, 300, 400, 500].map((latency, index) => ({
      id: `m${String(index)}`,
      acceptedAt: t0 + 1000 - latency,
      storedAt: t0 + 1000,
    }));
    const sampler = new OpsSampler(
      scripted([reading(t0, 5), reading(t0 + 1000, 2, settled), reading(t0 + 2000, 0, settled)]),
    );
    await sampler.tick();
    await sampler.tick();
    await sampler.tick();
    const snapshot = sampler.snapshot();
    expect(snapshot.history.map((point) => point.depth)).toEqual([5, 2, 0]);
    // Five messages stored in the last 5 s, counted once though read twice.
    expect(snapshot.storedPerSecond).toBe(1);
    expect(snapshot.storedLast15Minutes).toBe(5);
    expect(snapshot.latency).toEqual({ p50Ms: 300, p99Ms: 500, count: 5 });
    expect(snapshot.error).toBeUndefined();
  });

  it('keeps the last numbers and reports the error when a read fails', async () => {
    const sampler = new OpsSampler(scripted([reading(Date.now(), 3)]));
    await sampler.tick();
    await sampler.tick();
    const snapshot = sampler.snapshot();
    expect(snapshot.queue.visible).toBe(3);
    expect(snapshot.error).toBe('edge unreachable');
  });

  it('forgets what is older than 15 minutes', async () => {
    const t0 = 1_700_000_000_000;
    const old = { id: 'old', acceptedAt: t0 - 100, storedAt: t0 };
    const sampler = new OpsSampler(scripted([reading(t0, 1, [old]), reading(t0 + 16 * 60_000, 0)]));
    await sampler.tick();
    await sampler.tick();
    const snapshot = sampler.snapshot();
    expect(snapshot.history).toHaveLength(1);
    expect(snapshot.storedLast15Minutes).toBe(0);
  });
});
