import type { Envelope } from '@herald/contracts';
import {
  channelStats,
  messages,
  type NewMessageRow,
  type PooledDatabase,
  withTransaction,
} from '@herald/db';
import { tenantChannelKey } from '@herald/metadata';
import { inArray, sql } from 'drizzle-orm';
import { driverErrorOf, isRowRejection, storeFailure } from './postgres-errors';
import type { MessageStore, StoreResult } from './message-store';

interface ChannelIncrement {
  tenant: string;
  channel: string;
  messageCount: number;
  lastMessageAt: Date;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * PostgreSQL through drizzle. One transaction per batch: a multi-row insert that skips ids
 * already stored, then the channel counters raised by the rows REALLY inserted. DynamoDB's copy
 * of those counters is the channel flusher's job (`metadata/channel-flusher.ts`), not the batch's.
 *
 * Rows and channels are written in sorted order, so two consumers holding overlapping batches
 * (a redelivery while the first copy is still in flight) take their locks in the same order and
 * cannot deadlock.
 */
export class PostgresMessageStore implements MessageStore {
  readonly #db: PooledDatabase;

  constructor(db: PooledDatabase) {
    this.#db = db;
  }

  async store(envelopes: readonly Envelope[]): Promise<StoreResult> {
    if (envelopes.length === 0) {
      return { insertedIds: new Set(), storedAt: new Map(), rejected: new Map() };
    }
    try {
      return { ...(await this.#storeInOneTransaction(envelopes)), rejected: new Map() };
    } catch (error) {
      const driver = driverErrorOf(error);
      if (!isRowRejection(driver))
        throw storeFailure(`storing ${envelopes.length} messages`, driver);
      // One row poisons the multi-row insert: store the rows one by one to let the others in.
      return this.#storeOneByOne(envelopes);
    }
  }

  #storeInOneTransaction(envelopes: readonly Envelope[]): Promise<Omit<StoreResult, 'rejected'>> {
    return withTransaction(this.#db, async (tx) => {
      const rows = [...envelopes].sort((a, b) => byText(a.id, b.id)).map(toRow);
      const inserted = await tx
        .insert(messages)
        .values(rows)
        .onConflictDoNothing({ target: messages.id })
        .returning({ id: messages.id, storedAt: messages.storedAt });
      const insertedIds = new Set(inserted.map((row) => row.id));
      const storedAt = new Map(inserted.map((row) => [row.id, row.storedAt]));
      // Redelivered ids: their status items copy the stored_at of the first insert.
      const older = envelopes
        .filter((envelope) => !insertedIds.has(envelope.id))
        .map((envelope) => envelope.id);
      if (older.length > 0) {
        const rows = await tx
          .select({ id: messages.id, storedAt: messages.storedAt })
          .from(messages)
          .where(inArray(messages.id, older));
        for (const row of rows) storedAt.set(row.id, row.storedAt);
      }
      const increments = incrementsOf(envelopes.filter((envelope) => insertedIds.has(envelope.id)));
      if (increments.length > 0) {
        await tx
          .insert(channelStats)
          .values(increments)
          .onConflictDoUpdate({
            target: [channelStats.tenant, channelStats.channel],
            set: {
              messageCount: sql`${channelStats.messageCount} + excluded.message_count`,
              lastMessageAt: sql`greatest(${channelStats.lastMessageAt}, excluded.last_message_at)`,
            },
          });
      }
      return { insertedIds, storedAt };
    });
  }

  async #storeOneByOne(envelopes: readonly Envelope[]): Promise<StoreResult> {
    const insertedIds = new Set<string>();
    const storedAt = new Map<string, Date>();
    const rejected = new Map<string, string>();
    for (const envelope of [...envelopes].sort((a, b) => byText(a.id, b.id))) {
      try {
        const result = await this.#storeInOneTransaction([envelope]);
        for (const id of result.insertedIds) insertedIds.add(id);
        for (const [id, at] of result.storedAt) storedAt.set(id, at);
      } catch (error) {
        const driver = driverErrorOf(error);
        if (!isRowRejection(driver))
          throw storeFailure(`storing ${envelopes.length} messages`, driver);
        rejected.set(envelope.id, `PostgreSQL ${driver.code ?? ''}: ${driver.message}`);
      }
    }
    return { insertedIds, storedAt, rejected };
  }
}

function toRow(envelope: Envelope): NewMessageRow {
  return {
    id: envelope.id,
    tenant: envelope.tenant,
    channel: envelope.channel,
    sender: envelope.sender ?? null,
    body: envelope.body,
    attributes: envelope.attributes,
    priority: envelope.priority,
    idempotencyKey: envelope.idempotencyKey ?? null,
    acceptedAt: new Date(envelope.acceptedAt),
  };
}

/** Inserted rows per channel, sorted by (tenant, channel) for a stable lock order. */
function incrementsOf(inserted: readonly Envelope[]): ChannelIncrement[] {
  const byChannel = new Map<string, ChannelIncrement>();
  for (const envelope of inserted) {
    const key = tenantChannelKey(envelope.tenant, envelope.channel);
    const acceptedAt = new Date(envelope.acceptedAt);
    const current = byChannel.get(key);
    if (current) {
      current.messageCount += 1;
      if (acceptedAt > current.lastMessageAt) current.lastMessageAt = acceptedAt;
    } else {
      byChannel.set(key, {
        tenant: envelope.tenant,
        channel: envelope.channel,
        messageCount: 1,
        lastMessageAt: acceptedAt,
      });
    }
  }
  return [...byChannel.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([, increment]) => increment);
}
