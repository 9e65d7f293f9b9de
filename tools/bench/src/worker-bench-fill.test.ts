import { envelopeV1Schema, serializeEnvelope } from '@herald/contracts';
import { describe, expect, it } from 'vitest';
import { benchEnvelope } from './worker-bench-fill';

describe('benchEnvelope', () => {
  const envelopes = Array.from({ length: 200 }, (_, index) => benchEnvelope('bench', index, 20));

  it('makes valid v1 envelopes of about 1 KB, the size the cost figures are stated for', () => {
    for (const envelope of envelopes) {
      expect(envelopeV1Schema.safeParse(envelope).success).toBe(true);
      const bytes = Buffer.byteLength(serializeEnvelope(envelope));
      expect(bytes).toBeGreaterThan(900);
      expect(bytes).toBeLessThanOrEqual(1024);
    }
  });

  it('spreads messages over the channels and mixes priorities with 1 % critical', () => {
    expect(new Set(envelopes.map((envelope) => envelope.channel)).size).toBe(20);
    expect(envelopes.filter((envelope) => envelope.priority === 'critical')).toHaveLength(2);
    expect(new Set(envelopes.map((envelope) => envelope.priority))).toEqual(
      new Set(['critical', 'high', 'low', 'normal']),
    );
  });
});
