import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** API keys, stored only as a SHA-256 hash of the secret; `prefix` identifies a key to humans. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    tenant: text('tenant').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { precision: 3, withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
    revokedAt: timestamp('revoked_at', { precision: 3, withTimezone: true, mode: 'date' }),
  },
  (table) => [index('api_keys_tenant_idx').on(table.tenant)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;
