import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One row per accepted message; `id` makes redelivery idempotent (ON CONFLICT DO NOTHING). */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    tenant: text('tenant').notNull(),
    channel: text('channel').notNull(),
    sender: text('sender'),
    /** Text bodies are stored as a JSON string, JSON bodies as themselves. */
    body: jsonb('body').notNull(),
    attributes: jsonb('attributes')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'critical'] }).notNull(),
    idempotencyKey: text('idempotency_key'),
    acceptedAt: timestamp('accepted_at', {
      precision: 3,
      withTimezone: true,
      mode: 'date',
    }).notNull(),
    storedAt: timestamp('stored_at', { precision: 3, withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    // Channel history, newest first, keyset-paginated on (accepted_at, id).
    index('messages_history_idx').on(
      table.tenant,
      table.channel,
      table.acceptedAt.desc(),
      table.id.desc(),
    ),
  ],
);

export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;
