import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Envelope, parseEnvelope, serializeEnvelope } from './envelope';
import { idempotentMessageId, newMessageId } from './ids';

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    v: 1,
    id: newMessageId(),
    tenant: 'acme',
    channel: 'orders',
    body: { total: 1 },
    attributes: {},
    priority: 'normal',
    acceptedAt: '2026-11-25T10:00:00.000Z',
    trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    ...overrides,
  };
}

describe('parseEnvelope', () => {
  it('round-trips a valid envelope', () => {
    const value = envelope({ idempotencyKey: 'order-42', sender: 'shop' });
    expect(parseEnvelope(serializeEnvelope(value))).toEqual({ ok: true, envelope: value });
  });

  it('rejects malformed JSON', () => {
    expect(parseEnvelope('{nope')).toMatchObject({ ok: false, code: 'malformed_json' });
  });

  it('rejects an unknown version loudly, keeping the id when readable', () => {
    const value = { ...envelope(), v: 2 };
    expect(parseEnvelope(JSON.stringify(value))).toEqual({
      ok: false,
      code: 'unknown_version',
      reason: 'unknown envelope version 2',
      id: value.id,
    });
    expect(parseEnvelope('{}')).toMatchObject({
      ok: false,
      code: 'unknown_version',
      reason: 'unknown envelope version null',
    });
  });

  it('rejects an invalid v1 envelope with the offending paths', () => {
    const result = parseEnvelope(
      JSON.stringify({ ...envelope(), channel: 'bad/channel', extra: 1 }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('invalid_envelope');
    expect(result.reason).toContain('channel');
    expect(result.reason).toContain('extra');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (raw) => {
          const result = parseEnvelope(raw);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('message ids', () => {
  it('are time-ordered UUIDv7 when no key is given', () => {
    const ids = Array.from({ length: 50 }, () => newMessageId());
    expect(ids.every((id) => id[14] === '7')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('derive the same id from the same tenant and key, and different ids otherwise', () => {
    expect(idempotentMessageId('acme', 'k1')).toBe(idempotentMessageId('acme', 'k1'));
    expect(idempotentMessageId('acme', 'k1')).not.toBe(idempotentMessageId('other', 'k1'));
    expect(idempotentMessageId('acme', 'k1')).not.toBe(idempotentMessageId('acme', 'k2'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(idempotentMessageId('ab', 'c')).not.toBe(idempotentMessageId('a', 'bc'));
  });
});
