import type { OutgoingMessage } from './outgoing-message';

/** What happened to one message handed to the queue. */
export type SendOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `unavailable`: the queue could not be reached; `rejected`: the queue refused this message. */
      readonly kind: 'unavailable' | 'rejected';
      readonly retryable: boolean;
      readonly reason: string;
    };

/**
 * Where accepted messages go. `send` resolves once the queue has durably accepted (or
 * refused) every message, one outcome per message in order; it never rejects. Messages were
 * checked to fit (`fitsInQueue`) before they are handed over.
 */
export interface MessageQueue {
  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]>;
  /** Sends what is buffered and refuses new messages (shutdown). */
  close(): Promise<void>;
}
