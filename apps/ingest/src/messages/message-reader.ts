import type { StoredMessage } from '@herald/contracts';

/** A position in a channel's history: the last item of the previous page. */
export interface HistoryPosition {
  readonly acceptedAt: Date;
  readonly id: string;
}

/** Reads stored messages, always within one tenant. Throws `DependencyUnavailableError` when down. */
export interface MessageReader {
  findById(tenant: string, id: string): Promise<StoredMessage | undefined>;
  /** Newest first: (acceptedAt desc, id desc), strictly after `after` when given. */
  history(
    tenant: string,
    channel: string,
    page: { limit: number; after?: HistoryPosition },
  ): Promise<StoredMessage[]>;
}
