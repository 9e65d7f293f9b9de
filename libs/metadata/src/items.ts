import type { ItemKey } from './keys';

/** Written by the worker for every message it has settled. Ingest reads it for GET /v1/messages/{id}. */
export interface MessageStatusItem extends ItemKey {
  readonly id: string;
  readonly tenant: string;
  readonly channel?: string;
  readonly status: 'stored' | 'rejected' | 'dead_lettered';
  /** Why a message was rejected or dead-lettered. */
  readonly reason?: string;
  /** Set once the SNS alert for a critical (or rejected) message was published. */
  readonly alerted?: boolean;
  readonly alertedAt?: string;
  readonly storedAt?: string;
  readonly updatedAt: string;
}

/** Absolute copy of PostgreSQL's channel_stats row (never a blind increment: invariant 3). */
export interface ChannelStatsItem extends ItemKey {
  readonly tenant: string;
  readonly channel: string;
  readonly messageCount: number;
  readonly lastMessageAt: string;
  readonly updatedAt: string;
}

/** Ingest's claim on an Idempotency-Key, shared by every ingest task. Expires after 24 h. */
export interface IdempotencyClaimItem extends ItemKey {
  readonly tenant: string;
  readonly messageId: string;
  /** SHA-256 of the canonical request payload: a replay with another payload is a conflict. */
  readonly requestHash: string;
  readonly acceptedAt: string;
  /** Epoch seconds; TTL deletes lazily (and dynalite never), so readers must check it. */
  readonly expiresAt: number;
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** One operator DLQ redrive, written by `herald dlq redrive`. */
export interface RedriveRecordItem extends ItemKey {
  readonly redriveId: string;
  /** ISO time the redrive started. */
  readonly at: string;
  /** Who ran it: the OS user and host (and the AWS principal where known). */
  readonly by: string;
  /** `task`: an SQS message move task; `ids`: chosen messages received and resent. */
  readonly mode: 'task' | 'ids';
  readonly sourceQueue: string;
  readonly destinationQueue: string;
  /** Messages moved back. */
  readonly moved: number;
  /** How the redrive ended (the move task's final status, or COMPLETED for `ids`). */
  readonly outcome: string;
  readonly messageIds: readonly string[];
  readonly taskHandle?: string;
}

/** Something that happened to a message besides its status: today, an operator's redrive. */
export interface MessageEventItem extends ItemKey {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'redriven';
  readonly at: string;
  readonly redriveId: string;
  readonly by: string;
  readonly detail?: string;
}
