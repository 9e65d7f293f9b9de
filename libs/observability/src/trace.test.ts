import { describe, expect, it } from 'vitest';
import { continueTrace, traceIdOf } from './trace';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('continueTrace', () => {
  it('keeps the caller trace id with a new span id', () => {
    const context = continueTrace(PARENT, 'vendor=x');
    expect(traceIdOf(context.traceparent)).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(context.traceparent).not.toBe(PARENT);
    expect(context.tracestate).toBe('vendor=x');
  });

  it.each([undefined, '', 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01'])(
    'starts a new trace for %j',
    (header) => {
      const context = continueTrace(header);
      expect(context.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(traceIdOf(context.traceparent)).not.toBe('00000000000000000000000000000000');
    },
  );

  it('draws distinct ids across refills of its random pool', () => {
    // 2,000 new traces use 48,000 random bytes: the 4 KiB pool is refilled many times.
    const ids = Array.from({ length: 2_000 }, () => continueTrace().traceparent);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(3, 35))).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(36, 52))).size).toBe(ids.length);
  });
});
