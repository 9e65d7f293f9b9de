import { QUEUE_SETTINGS } from '@herald/config';
import { serializeEnvelope, type Envelope } from '@herald/contracts';

/** One message as the queue carries it: the serialized envelope and string attributes. */
export interface OutgoingMessage {
  /** The envelope id (for logs; SQS assigns its own MessageId). */
  readonly id: string;
  readonly body: string;
  /** String message attributes (`traceparent`, `tracestate`). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Bytes SQS counts for it (`messageSize`), computed once here. */
  readonly size: number;
}

/** The SQS message of an envelope: its JSON as the body, the trace context as attributes. */
export function toOutgoingMessage(envelope: Envelope): OutgoingMessage {
  const attributes: Record<string, string> = { traceparent: envelope.trace.traceparent };
  if (envelope.trace.tracestate) attributes.tracestate = envelope.trace.tracestate;
  const body = sqsSafeJson(serializeEnvelope(envelope));
  return { id: envelope.id, body, attributes, size: messageSize(body, attributes) };
}

/**
 * Whether the message fits in one SQS message (escaping can make an in-limit body bigger). The
 * only size check on the way to SQS: the accept step refuses (422) what does not fit, and the
 * queue trusts what it is handed.
 */
export function fitsInQueue(message: OutgoingMessage): boolean {
  return message.size <= QUEUE_SETTINGS.maxMessageBytes;
}

export const TOO_LARGE_FOR_QUEUE = `must fit in one queue message of ${QUEUE_SETTINGS.maxMessageBytes} bytes once serialized`;

/**
 * Bytes SQS counts for a message: body plus each attribute's name, type and value.
 * Buffer.byteLength counts UTF-8 bytes without encoding a copy (a TextEncoder pass allocated
 * the whole body again for every message).
 */
export function messageSize(body: string, attributes: Readonly<Record<string, string>>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const name in attributes) {
    size +=
      Buffer.byteLength(name, 'utf8') +
      'String'.length +
      Buffer.byteLength(attributes[name] ?? '', 'utf8');
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
