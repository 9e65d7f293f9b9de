/** One message as the queue carries it: the serialized envelope and string attributes. */
export interface OutgoingMessage {
  /** The envelope id (for logs; SQS assigns its own MessageId). */
  readonly id: string;
  readonly body: string;
  /** String message attributes (`traceparent`, `tracestate`). */
  readonly attributes: Readonly<Record<string, string>>;
}

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
 * refused) every message, one outcome per message in order; it never rejects.
 */
export interface MessageQueue {
  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]>;
  /** Sends what is buffered and refuses new messages (shutdown). */
  close(): Promise<void>;
}

/**
 * Bytes SQS counts for a message: body plus each attribute's name, type and value.
 * Buffer.byteLength counts UTF-8 bytes without encoding a copy (a TextEncoder pass allocated
 * the whole body again for every message).
 */
export function messageSize(message: OutgoingMessage): number {
  let size = Buffer.byteLength(message.body, 'utf8');
  for (const [name, value] of Object.entries(message.attributes)) {
    size += Buffer.byteLength(name, 'utf8') + 'String'.length + Buffer.byteLength(value, 'utf8');
  }
  return size;
}

/**
 * SQS refuses characters outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
 * JSON.stringify already escapes control characters and lone surrogates; the noncharacters
 * U+FFFE and U+FFFF can only sit inside JSON strings, where their \u escape means the same.
 */
export function sqsSafeJson(json: string): string {
  return json.replaceAll('\uFFFE', '\\ufffe').replaceAll('\uFFFF', '\\uffff');
}
