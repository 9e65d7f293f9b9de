import {
  ENVELOPE_VERSION,
  type Envelope,
  type MessageInput,
  type TraceContext,
} from '@herald/contracts';

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
