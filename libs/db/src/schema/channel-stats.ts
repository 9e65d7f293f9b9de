import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Per-channel counters, updated in the same transaction as the message insert, counting only
 * rows that were really inserted. This is the truth the DynamoDB channel metadata copies.
 */
export const channelStats = pgTable(
  'channel_stats',
  {
    tenant: text('tenant').notNull(),
    channel: text('channel').notNull(),
    messageCount: bigint('message_count', { mode: 'number' }).notNull(),
    lastMessageAt: timestamp('last_message_at', {
      precision: 3,
      withTimezone: true,
      mode: 'date',
    }).notNull(),
    /**
     * The highest `message_count` DynamoDB is known to hold. A row whose count is ahead of it is
     * copied by the worker's channel flusher, whichever worker committed it and whether or not
     * that worker is still alive (docs/invariants.md#3).
     */
    syncedCount: bigint('synced_count', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.tenant, table.channel] }),
    // Only the channels still to copy: the flusher's scan stays as small as the backlog.
    index('channel_stats_unsynced_idx')
      .on(table.tenant, table.channel)
      .where(sql`${table.messageCount} > ${table.syncedCount}`),
  ],
);

export type ChannelStatsRow = typeof channelStats.$inferSelect;
