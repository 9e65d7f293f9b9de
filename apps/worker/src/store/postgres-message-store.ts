import type { Envelope } from '@herald/contracts';
import { messages, type PooledDatabase } from '@herald/db';
import { inArray, type SQL, sql } from 'drizzle-orm';
import { driverErrorOf, isRowRejection, storeFailure } from './postgres-errors';
import type { MessageStore, StoreResult } from './message-store';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * PostgreSQL through drizzle. One statement per batch: a multi-row insert that skips ids
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

  /**
   * One statement, so one round trip and its own transaction (no BEGIN/COMMIT): the insert, then
   * the counters raised by what its RETURNING says was inserted (a data-modifying CTE runs to
   * completion whether or not the outer query reads it). Rows in id order, counters in
   * (tenant, channel) order: the lock order of every writer, flushers included.
   */
  async #storeInOneTransaction(
    envelopes: readonly Envelope[],
  ): Promise<Omit<StoreResult, 'rejected'>> {
    const rows = sql.join([...envelopes].sort((a, b) => byText(a.id, b.id)).map(valuesOf), sql`, `);
    const result = await this.#db.execute<{ id: string; stored_at: Date }>(sql`
      with inserted as (
        insert into messages
          (id, tenant, channel, sender, body, attributes, priority, idempotency_key, accepted_at)
        values ${rows}
        on conflict (id) do nothing
        returning id, tenant, channel, accepted_at, stored_at
      ), counted as (
        insert into channel_stats (tenant, channel, message_count, last_message_at)
        select tenant, channel, count(*), max(accepted_at)
          from inserted group by tenant, channel order by tenant, channel
        on conflict (tenant, channel) do update
          set message_count = channel_stats.message_count + excluded.message_count,
              last_message_at = greatest(channel_stats.last_message_at, excluded.last_message_at)
      )
      select id, stored_at from inserted`);
    const insertedIds = new Set(result.rows.map((row) => row.id));
    const storedAt = new Map(result.rows.map((row) => [row.id, new Date(row.stored_at)]));
    // Redelivered ids: their status items copy the stored_at of the first insert (immutable).
    const older = envelopes
      .filter((envelope) => !insertedIds.has(envelope.id))
      .map((envelope) => envelope.id);
    if (older.length > 0) {
      const found = await this.#db
        .select({ id: messages.id, storedAt: messages.storedAt })
        .from(messages)
        .where(inArray(messages.id, older));
      for (const row of found) storedAt.set(row.id, row.storedAt);
    }
    return { insertedIds, storedAt };
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

/** One row of the insert, cast as the columns are typed (jsonb serialized as drizzle would). */
function valuesOf(envelope: Envelope): SQL {
  return sql`(${envelope.id}::uuid, ${envelope.tenant}, ${envelope.channel}, ${envelope.sender ?? null},
    ${JSON.stringify(envelope.body)}::jsonb, ${JSON.stringify(envelope.attributes)}::jsonb,
    ${envelope.priority}, ${envelope.idempotencyKey ?? null}, ${envelope.acceptedAt}::timestamptz)`;
}
