import type { Message } from '@aws-sdk/client-sqs';
import {
  channelSchema,
  type Envelope,
  type EnvelopeRejection,
  parseEnvelope,
  tenantSchema,
} from '@herald/contracts';
import { traceIdOf } from '@herald/observability';

/** Tenant used in the status key of a rejected message whose tenant cannot be read. */
export const UNKNOWN_TENANT = '_unknown';

export interface TraceFields {
  readonly traceparent?: string;
  readonly traceId?: string;
}

export interface AcceptedMessage {
  readonly sqs: Message;
  readonly envelope: Envelope;
  readonly trace: TraceFields;
}

export interface RejectedMessage {
  readonly sqs: Message;
  /** The envelope id when readable, else the SQS MessageId. */
  readonly id: string;
  /** The envelope tenant when readable, else UNKNOWN_TENANT. */
  readonly tenant: string;
  readonly channel?: string;
  readonly code: EnvelopeRejection;
  readonly reason: string;
  readonly trace: TraceFields;
}

export interface DecodedBatch {
  readonly accepted: readonly AcceptedMessage[];
  readonly rejected: readonly RejectedMessage[];
}

/** Splits a received batch into valid envelopes and permanent rejections. Never throws. */
export function decodeBatch(messages: readonly Message[]): DecodedBatch {
  const accepted: AcceptedMessage[] = [];
  const rejected: RejectedMessage[] = [];
  for (const sqs of messages) {
    const result = parseEnvelope(sqs.Body ?? '');
    if (result.ok) {
      // PostgreSQL returns uuids in lower case; compare and key them the same way.
      const envelope = { ...result.envelope, id: result.envelope.id.toLowerCase() };
      accepted.push({ sqs, envelope, trace: traceFields(envelope.trace.traceparent) });
      continue;
    }
    const loose = looseFields(sqs.Body);
    rejected.push({
      sqs,
      id: result.id?.toLowerCase() ?? sqs.MessageId ?? 'unknown',
      tenant: loose.tenant ?? UNKNOWN_TENANT,
      ...(loose.channel === undefined ? {} : { channel: loose.channel }),
      code: result.code,
      reason: result.reason,
      trace: traceFields(loose.traceparent ?? attributeTraceparent(sqs)),
    });
  }
  return { accepted, rejected };
}

function traceFields(traceparent: string | undefined): TraceFields {
  if (traceparent === undefined) return {};
  const traceId = traceIdOf(traceparent);
  return traceId === undefined ? { traceparent } : { traceparent, traceId };
}

/** The `traceparent` SQS message attribute ingest sets beside the envelope. */
function attributeTraceparent(message: Message): string | undefined {
  return message.MessageAttributes?.traceparent?.StringValue;
}

interface LooseFields {
  tenant?: string;
  channel?: string;
  traceparent?: string;
}

/** What can still be read from an invalid envelope, for the status key and the alert. */
function looseFields(body: string | undefined): LooseFields {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const fields: LooseFields = {};
  const tenant = tenantSchema.safeParse(record.tenant);
  if (tenant.success) fields.tenant = tenant.data;
  const channel = channelSchema.safeParse(record.channel);
  if (channel.success) fields.channel = channel.data;
  const trace = record.trace;
  if (
    typeof trace === 'object' &&
    trace !== null &&
    'traceparent' in trace &&
    typeof trace.traceparent === 'string'
  ) {
    fields.traceparent = trace.traceparent.slice(0, 64);
  }
  return fields;
}
