import { tenantChannelKey } from '@herald/metadata';
import type { ChannelTotals } from '../store/message-store';
import type { MetadataStore } from './metadata-store';

interface Waiter {
  resolve: (outcome: 'written' | 'stale') => void;
  reject: (error: unknown) => void;
}

interface Pending {
  totals: ChannelTotals;
  now: Date;
  readonly waiters: Waiter[];
}

/**
 * Merges channel-totals writes of concurrent batches: while one write for a channel is in flight,
 * later requests for that channel wait and share ONE next write carrying the highest count. A
 * caller resolves only once a write at least as new as its own totals succeeded, so a batch is
 * still deleted only after its channel is durable (docs/invariants.md#3), for fewer write units.
 */
export function coalesceChannelWrites(store: MetadataStore): MetadataStore {
  const queued = new Map<string, Pending | undefined>();

  const run = (key: string, pending: Pending): void => {
    store
      .putChannelTotals(pending.totals, pending.now)
      .then(
        (outcome) => {
          for (const waiter of pending.waiters) waiter.resolve(outcome);
        },
        (error: unknown) => {
          for (const waiter of pending.waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        const next = queued.get(key);
        if (next) {
          queued.set(key, undefined);
          run(key, next);
        } else {
          queued.delete(key);
        }
      });
  };

  return {
    markStored: (status, now) => store.markStored(status, now),
    putStored: (statuses, now) => store.putStored(statuses, now),
    markRejected: (status, now) => store.markRejected(status, now),
    markDeadLettered: (status, now) => store.markDeadLettered(status, now),
    markAlerted: (key, now) => store.markAlerted(key, now),
    putChannelTotals(totals, now) {
      const key = tenantChannelKey(totals.tenant, totals.channel);
      return new Promise((resolve, reject) => {
        const waiter = { resolve, reject };
        if (!queued.has(key)) {
          // Nothing in flight for this channel: write now.
          queued.set(key, undefined);
          run(key, { totals, now, waiters: [waiter] });
          return;
        }
        const next = queued.get(key);
        if (!next) {
          queued.set(key, { totals, now, waiters: [waiter] });
        } else {
          next.waiters.push(waiter);
          // PostgreSQL's count and last time only grow: the higher count is the newer read.
          if (totals.messageCount > next.totals.messageCount) next.totals = totals;
          if (now > next.now) next.now = now;
        }
      });
    },
  };
}
