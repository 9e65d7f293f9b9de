/** A claim on (tenant, Idempotency-Key), shared by every ingest task for 24 h. */
export interface IdempotencyClaim {
  readonly tenant: string;
  readonly key: string;
  readonly messageId: string;
  readonly requestHash: string;
  readonly acceptedAt: string;
}

/** `pending`: claimed, not yet known to be enqueued; `accepted`: SQS accepted it. */
export type ClaimState = 'pending' | 'accepted';

export interface StoredClaim extends IdempotencyClaim {
  readonly state: ClaimState;
}

export type ClaimResult =
  { readonly outcome: 'claimed' } | { readonly outcome: 'existing'; readonly claim: StoredClaim };

/**
 * Claims Idempotency-Keys atomically across tasks. Implementations throw
 * `DependencyUnavailableError` when their store cannot be reached.
 */
export interface IdempotencyStore {
  /** Claims the key as `pending`, or returns the live claim someone else made. */
  claim(claim: IdempotencyClaim): Promise<ClaimResult>;
  /** Records that SQS accepted the claimed message (best effort: a pending claim re-enqueues). */
  markAccepted(claim: IdempotencyClaim): Promise<void>;
}
