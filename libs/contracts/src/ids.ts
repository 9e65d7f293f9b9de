import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Fixed namespace for ids derived from (tenant, Idempotency-Key). Never change it. */
const IDEMPOTENCY_NAMESPACE = '6f1b0c1e-7c4a-4c55-9c1d-2b8e4a0f9d31';

/** A new time-ordered message id (UUIDv7). */
export function newMessageId(): string {
  return uuidv7();
}

/**
 * The id of a message sent with an Idempotency-Key: the same (tenant, key) always maps to
 * the same id, so retries across ingest tasks converge on one stored row.
 */
export function idempotentMessageId(tenant: string, idempotencyKey: string): string {
  return uuidv5(`${tenant}\n${idempotencyKey}`, IDEMPOTENCY_NAMESPACE);
}
