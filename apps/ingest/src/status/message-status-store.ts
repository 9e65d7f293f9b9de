import type { MessageStatus } from '@herald/contracts';

/** What the worker recorded about a message it settled. */
export interface MessageStatusRecord {
  readonly id: string;
  readonly status: MessageStatus;
  readonly reason?: string;
  readonly alerted?: boolean;
}

/** Reads message statuses; throws `DependencyUnavailableError` when the store is unreachable. */
export interface MessageStatusStore {
  /** The status of a message of this tenant, or undefined (unknown, or another tenant's). */
  get(tenant: string, id: string): Promise<MessageStatusRecord | undefined>;
}
