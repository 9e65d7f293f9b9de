import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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
  },
  (table) => [primaryKey({ columns: [table.tenant, table.channel] })],
);

export type ChannelStatsRow = typeof channelStats.$inferSelect;
