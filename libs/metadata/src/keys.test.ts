import { describe, expect, it } from 'vitest';
import { channelStatsKey, idempotencyClaimKey, messageStatusKey, tenantChannelKey } from './keys';

describe('metadata keys', () => {
  it('embed the tenant so another tenant never addresses the same item', () => {
    expect(messageStatusKey('a', 'id-1')).not.toEqual(messageStatusKey('b', 'id-1'));
    expect(channelStatsKey('a', 'orders')).not.toEqual(channelStatsKey('b', 'orders'));
    expect(idempotencyClaimKey('a', 'k')).not.toEqual(idempotencyClaimKey('b', 'k'));
  });

  it('keep item kinds apart', () => {
    const pks = [
      messageStatusKey('t', 'x').pk,
      channelStatsKey('t', 'x').pk,
      idempotencyClaimKey('t', 'x').pk,
    ];
    expect(new Set(pks).size).toBe(3);
  });

  it('give each (tenant, channel) pair its own grouping key', () => {
    expect(tenantChannelKey('acme', 'orders')).toBe(tenantChannelKey('acme', 'orders'));
    expect(tenantChannelKey('acme', 'orders')).not.toBe(tenantChannelKey('acme', 'invoices'));
    // Plain concatenation would collide here; the separator keeps the pairs apart.
    expect(tenantChannelKey('ab', 'c')).not.toBe(tenantChannelKey('a', 'bc'));
  });
});
