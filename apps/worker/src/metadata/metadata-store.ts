/**
 * The role status and channel metadata are written through (DynamoDB's `DynamoDbMetadataStore`
 * beside it; a fake in the unit tests).
 */
import type { ChannelTotals } from '../store/channel-sync';

export interface StatusKey {
  readonly tenant: string;
  readonly id: string;
}

export interface StoredStatus extends StatusKey {
  readonly channel: string;
  readonly storedAt: Date;
}

export interface RejectedStatus extends StatusKey {
  readonly channel?: string;
  readonly reason: string;
}

/** What a status write found before it: whether the alert for this message was already sent. */
export interface StatusWriteResult {
  /** False when a `stored` status was already there, so nothing was written. */
  readonly written: boolean;
  readonly alreadyAlerted: boolean;
}

/** Status and channel metadata (DynamoDB). Every write is idempotent. */
export interface MetadataStore {
  /** Sets status `stored`, keeping any `alerted` flag: for messages that raise an alert. */
  markStored(status: StoredStatus, now: Date): Promise<StatusWriteResult>;
  /**
   * Writes whole `stored` status items in bulk (no alert flag to keep: for messages that never
   * alert). Resolves with the ids that could not be written, and why.
   */
  putStored(statuses: readonly StoredStatus[], now: Date): Promise<ReadonlyMap<string, string>>;
  /** Sets status `rejected` unless the message is already `stored`. */
  markRejected(status: RejectedStatus, now: Date): Promise<StatusWriteResult>;
  /** Sets status `dead_lettered` unless the message is already `stored`. */
  markDeadLettered(status: RejectedStatus, now: Date): Promise<StatusWriteResult>;
  /** Records that the alert for this message was published. */
  markAlerted(key: StatusKey, now: Date): Promise<void>;
  /** Copies PostgreSQL's totals; never moves a channel's count backwards. */
  putChannelTotals(totals: ChannelTotals, now: Date): Promise<'written' | 'stale'>;
}
