/**
 * The role the channel flusher reads PostgreSQL's channel totals through
 * (`PostgresChannelSync` beside it; the in-memory store of the unit tests).
 */
/** PostgreSQL's absolute count for one channel: the truth DynamoDB copies. */
export interface ChannelTotals {
  readonly tenant: string;
  readonly channel: string;
  readonly messageCount: number;
  readonly lastMessageAt: Date;
}

/**
 * Which channels DynamoDB may lag behind, and the record of what it holds. The record lives in
 * PostgreSQL beside the truth, so a worker that dies after its commit leaves the work to any
 * other worker's flusher (docs/invariants.md#3).
 */
export interface ChannelSync {
  /**
   * Up to `limit` channels whose count is ahead of the last recorded copy, ordered by
   * (tenant, channel). Throws MessageStoreError when PostgreSQL is unavailable.
   */
  unsynced(limit: number): Promise<ChannelTotals[]>;
  /**
   * Records that DynamoDB holds at least these counts. A mark never moves backwards, so two
   * flushers recording at once, in any order, leave the higher one.
   */
  markSynced(totals: readonly ChannelTotals[]): Promise<void>;
}
