import { QUEUE_SETTINGS } from '@herald/config';
import {
  ENVELOPE_VERSION,
  serializeEnvelope,
  type Envelope,
  type MessageInput,
  type TraceContext,
} from '@herald/contracts';
import { messageSize, sqsSafeJson, type OutgoingMessage } from '../queue/message-queue';

/** What the server adds to every message of one request. */
export interface AcceptContext {
  readonly tenant: string;
  readonly trace: TraceContext;
  /** ISO 8601 UTC with milliseconds. */
  readonly acceptedAt: string;
}

/** The queue envelope of one validated message. */
export function buildEnvelope(
  input: MessageInput,
  context: AcceptContext,
  id: string,
  idempotencyKey?: string,
): Envelope {
  return {
    v: ENVELOPE_VERSION,
    id,
    tenant: context.tenant,
    channel: input.channel,
    body: input.body,
    ...(input.sender === undefined ? {} : { sender: input.sender }),
    attributes: input.attributes,
    priority: input.priority,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    acceptedAt: context.acceptedAt,
    trace: context.trace,
  };
}

/** The SQS message of an envelope: its JSON as the body, the trace context as attributes. */
export function toOutgoingMessage(envelope: Envelope): OutgoingMessage {
  const attributes: Record<string, string> = { traceparent: envelope.trace.traceparent };
  if (envelope.trace.tracestate) attributes.tracestate = envelope.trace.tracestate;
  return { id: envelope.id, body: sqsSafeJson(serializeEnvelope(envelope)), attributes };
}

/** Whether the message fits in one SQS message (escaping can make an in-limit body bigger). */
export function fitsInQueue(message: OutgoingMessage): boolean {
  return messageSize(message) <= QUEUE_SETTINGS.maxMessageBytes;
}

export const TOO_LARGE_FOR_QUEUE = `must fit in one queue message of ${QUEUE_SETTINGS.maxMessageBytes} bytes once serialized`;
