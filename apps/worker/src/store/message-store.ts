/**
 * The role the batch handler stores messages through (PostgreSQL's `PostgresMessageStore` beside
 * it; a fake in the unit tests).
 */
import type { Envelope } from '@herald/contracts';

export interface StoreResult {
  /** Ids that this call inserted (the others were already stored). */
  readonly insertedIds: ReadonlySet<string>;
  /** PostgreSQL's stored_at of every stored id, new or not: status items copy it. */
  readonly storedAt: ReadonlyMap<string, Date>;
  /**
   * Ids PostgreSQL refused row by row (a data error): they stay on the queue and dead-letter
   * after maxReceiveCount, while the rest of the batch goes through.
   */
  readonly rejected: ReadonlyMap<string, string>;
}

/** The system of record for messages (PostgreSQL). */
export interface MessageStore {
  /**
   * Stores the envelopes exactly once (by id) and counts only the rows really inserted, in one
   * transaction. Throws MessageStoreError when the store is unavailable: nothing was committed.
   * A row the database refuses is reported in `rejected` and does not fail the others.
   */
  store(envelopes: readonly Envelope[]): Promise<StoreResult>;
}
