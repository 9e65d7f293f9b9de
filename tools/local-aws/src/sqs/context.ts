import type { JsonObject } from './input';
import type { SqsStore } from './sqs-store';

/** What an SQS operation sees besides its input. */
export interface SqsContext {
  readonly store: SqsStore;
  /** The region the request was signed for (the edge's region if unsigned): ARNs of new queues. */
  readonly region: string;
  /** host[:port] the client addressed, for the queue URLs it is given. */
  readonly host: string;
  /** Reported as the SenderId of messages this request sends. */
  readonly senderId: string;
  /** Aborted when the client disconnects or the edge shuts down; ends long polls. */
  readonly signal: AbortSignal;
}

/** One SQS API operation: decoded JSON input to JSON output, or a thrown SqsError. */
export type SqsOperation = (
  input: JsonObject,
  context: SqsContext,
) => JsonObject | Promise<JsonObject>;
