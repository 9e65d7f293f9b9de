/**
 * Single-table layout of the metadata table. Every key embeds the tenant, so a read with the
 * wrong tenant finds nothing (a 404, never a 403: invariant 7).
 *
 * | item             | pk                          | sk       |
 * |------------------|-----------------------------|----------|
 * | message status   | `MSG#<tenant>#<id>`         | `STATUS` |
 * | channel stats    | `CHANNEL#<tenant>#<channel>`| `STATS`  |
 * | idempotency claim| `IDEM#<tenant>#<key>`       | `CLAIM`  |
 * | message event    | `MSG#<tenant>#<id>`         | `EVENT#<ISO time>#<kind>` |
 * | redrive record   | `REDRIVE#<redrive id>`      | `RECORD` |
 *
 * Message events share the status item's partition, so one Query on it is the message's status
 * history (the status item plus every event, in time order).
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

/** Sort-key prefix of a message's events, beside its status item. */
export const MESSAGE_EVENT_SK_PREFIX = 'EVENT#';

export function messageEventKey(
  tenant: string,
  messageId: string,
  at: string,
  kind: string,
): ItemKey {
  return {
    pk: messageStatusKey(tenant, messageId).pk,
    sk: `${MESSAGE_EVENT_SK_PREFIX}${at}#${kind}`,
  };
}

export function redriveRecordKey(redriveId: string): ItemKey {
  return { pk: `${prefixes.redrive}${redriveId}`, sk: 'RECORD' };
}
