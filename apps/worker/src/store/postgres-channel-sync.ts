import { channelStats, type PooledDatabase } from '@herald/db';
import { asc, gt, sql } from 'drizzle-orm';
import type { ChannelSync } from './channel-sync';
import type { ChannelTotals } from './channel-sync';
import { driverErrorOf, storeFailure } from './postgres-errors';

/**
 * `channel_stats.synced_count` as the record of what DynamoDB holds. The scan reads the partial
 * index `channel_stats_unsynced_idx` (only the rows still to copy); the mark is one statement.
 */
export class PostgresChannelSync implements ChannelSync {
  readonly #db: PooledDatabase;

  constructor(db: PooledDatabase) {
    this.#db = db;
  }

  async unsynced(limit: number): Promise<ChannelTotals[]> {
    try {
      return await this.#db
        .select({
          tenant: channelStats.tenant,
          channel: channelStats.channel,
          messageCount: channelStats.messageCount,
          lastMessageAt: channelStats.lastMessageAt,
        })
        .from(channelStats)
        .where(gt(channelStats.messageCount, channelStats.syncedCount))
        .orderBy(asc(channelStats.tenant), asc(channelStats.channel))
        .limit(limit);
    } catch (error) {
      throw storeFailure('reading unsynced channels', driverErrorOf(error));
    }
  }

  async markSynced(totals: readonly ChannelTotals[]): Promise<void> {
    if (totals.length === 0) return;
    const values = sql.join(
      totals.map(
        ({ tenant, channel, messageCount }) =>
          sql`(${tenant}::text, ${channel}::text, ${messageCount}::bigint)`,
      ),
      sql`, `,
    );
    // The rows are locked in (tenant, channel) order, the order in which every batch transaction
    // upserts them: a flusher and a batch never wait on each other in a cycle (no deadlock).
    const statement = sql`
      with copied (tenant, channel, count) as (values ${values}),
      locked as materialized (
        select s.tenant, s.channel, copied.count
          from channel_stats s
          join copied on s.tenant = copied.tenant and s.channel = copied.channel
         order by s.tenant, s.channel
           for update of s
      )
      update channel_stats s
         set synced_count = greatest(s.synced_count, locked.count)
        from locked
       where s.tenant = locked.tenant and s.channel = locked.channel`;
    try {
      await this.#db.execute(statement);
    } catch (error) {
      throw storeFailure(`recording ${totals.length} synced channels`, driverErrorOf(error));
    }
  }
}
