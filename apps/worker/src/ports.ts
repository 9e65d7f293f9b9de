/**
 * The worker's collaborators, named by role. The batch handler sees only these; each has one
 * adapter per technology under `adapters/` and a fake in the unit tests.
 */
import type { AlertPayload, Envelope } from '@herald/contracts';

/** PostgreSQL's absolute count for one channel: the truth DynamoDB copies. */
export interface ChannelTotals {
  readonly tenant: string;
  readonly channel: string;
  readonly messageCount: number;
  readonly lastMessageAt: Date;
}

export interface StoreResult {
  /** Ids that this call inserted (the others were already stored). */
  readonly insertedIds: ReadonlySet<string>;
  /** PostgreSQL's stored_at of every stored id, new or not: status items copy it. */
  readonly storedAt: ReadonlyMap<string, Date>;
  /** Totals of every channel the envelopes belong to, read after the insert. */
  readonly channels: readonly ChannelTotals[];
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

export interface AlertRequest {
  /** Caller's key for this alert, echoed in the result. */
  readonly key: string;
  readonly subject: string;
  readonly payload: AlertPayload;
}

export interface PublishResult {
  readonly published: ReadonlySet<string>;
  /** Keys whose alert was not published, with why. */
  readonly failed: ReadonlyMap<string, string>;
}

/** The alerts topic (SNS). Never throws: a failed call fails every alert in it. */
export interface AlertPublisher {
  publish(alerts: readonly AlertRequest[]): Promise<PublishResult>;
}

/** Milliseconds since the epoch; injected so tests control time. */
export type Clock = () => number;
