import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';

describe('history cursors', () => {
  it('round-trip a position as opaque base64url', () => {
    const position = {
      acceptedAt: new Date('2026-01-02T03:04:05.678Z'),
      id: '0193a1b2-0000-7000-8000-000000000001',
    };
    const cursor = encodeHistoryCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeHistoryCursor(cursor)).toEqual(position);
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('v2|1|0193a1b2-0000-7000-8000-000000000001').toString('base64url'),
    Buffer.from('v1|x|id').toString('base64url'),
    Buffer.from('v1|1').toString('base64url'),
  ])('rejects %j', (cursor) => {
    expect(decodeHistoryCursor(cursor)).toBeUndefined();
  });

  it('never throws on junk', () => {
    fc.assert(
      fc.property(fc.string(), (junk) => {
        decodeHistoryCursor(junk);
      }),
      { numRuns: 500 },
    );
  });
});
