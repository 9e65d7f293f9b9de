import { describe, expect, it } from 'vitest';
import {
  channelStatsKey,
  idempotencyClaimKey,
  messageEventKey,
  messageStatusKey,
  MESSAGE_EVENT_SK_PREFIX,
  redriveRecordKey,
} from './keys';

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
      redriveRecordKey('x').pk,
    ];
    expect(new Set(pks).size).toBe(4);
  });

  it('put message events in the status partition, sorted by time after the status item', () => {
    const status = messageStatusKey('t', 'm');
    const early = messageEventKey('t', 'm', '2026-01-01T00:00:00.000Z', 'redriven');
    const late = messageEventKey('t', 'm', '2026-01-02T00:00:00.000Z', 'redriven');
    expect(early.pk).toBe(status.pk);
    expect(early.sk.startsWith(MESSAGE_EVENT_SK_PREFIX)).toBe(true);
    expect(early.sk < late.sk).toBe(true);
    expect(early.sk).not.toBe(status.sk);
  });
});
