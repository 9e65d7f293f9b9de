/**
 * Single-table layout of the metadata table. Every key embeds the tenant, so a read with the
 * wrong tenant finds nothing (a 404, never a 403: docs/invariants.md#7).
 *
 * | item             | pk                          | sk       |
 * |------------------|-----------------------------|----------|
 * | message status   | `MSG#<tenant>#<id>`         | `STATUS` |
 * | channel stats    | `CHANNEL#<tenant>#<channel>`| `STATS`  |
 * | idempotency claim| `IDEM#<tenant>#<key>`       | `CLAIM`  |
 */
import { METADATA_KEYS } from '@herald/config';

const { prefixes } = METADATA_KEYS;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export function messageStatusKey(tenant: string, messageId: string): ItemKey {
  return { pk: `${prefixes.messageStatus}${tenant}#${messageId}`, sk: 'STATUS' };
}

export function channelStatsKey(tenant: string, channel: string): ItemKey {
  return { pk: `${prefixes.channelStats}${tenant}#${channel}`, sk: 'STATS' };
}

export function idempotencyClaimKey(tenant: string, idempotencyKey: string): ItemKey {
  return { pk: `${prefixes.idempotencyClaim}${tenant}#${idempotencyKey}`, sk: 'CLAIM' };
}

/**
 * An in-memory map key for one (tenant, channel) pair, for grouping a batch by channel. The
 * newline cannot occur in either part (tenantSchema and channelSchema of @herald/contracts allow
 * url-safe characters only), so distinct pairs never collide. Not a table key.
 */
export function tenantChannelKey(tenant: string, channel: string): string {
  return `${tenant}\n${channel}`;
}
