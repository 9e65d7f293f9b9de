import { z } from 'zod';
import { IDEMPOTENCY_KEY_PATTERN, LIMITS } from './limits';
import {
  attributesSchema,
  channelSchema,
  messageBodySchema,
  prioritySchema,
  storableString,
} from './message';
import { parseStorableJson } from './storable-json';
import { traceContextSchema } from './trace';

export const ENVELOPE_VERSION = 1;

export const tenantSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase a-z 0-9 _ -');

/** What ingest puts on the queue and the worker takes off it (SQS message body, JSON). */
export const envelopeV1Schema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  id: z.uuid(),
  tenant: tenantSchema,
  channel: channelSchema,
  body: messageBodySchema,
  sender: storableString().min(1).max(LIMITS.senderMaxLength).optional(),
  attributes: attributesSchema,
  priority: prioritySchema,
  idempotencyKey: z
    .string()
    .min(1)
    .max(LIMITS.idempotencyKeyMaxLength)
    .regex(IDEMPOTENCY_KEY_PATTERN)
    .optional(),
  acceptedAt: z.iso.datetime({ offset: false }),
  trace: traceContextSchema,
});
export type Envelope = z.infer<typeof envelopeV1Schema>;

export type EnvelopeParseResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | {
      readonly ok: false;
      readonly code: EnvelopeRejection;
      readonly reason: string;
      readonly id?: string;
    };

export type EnvelopeRejection = 'malformed_json' | 'unknown_version' | 'invalid_envelope';

/**
 * Parses an SQS message body. Never throws: a bad envelope is a permanent failure the worker
 * records and acknowledges, so the result says why and, when it can be read, which id.
 */
export function parseEnvelope(raw: string): EnvelopeParseResult {
  let value: unknown;
  try {
    // The same storable-value check as the API's: a number that would not read back as written
    // is refused here too, not stored changed.
    value = parseStorableJson(raw);
  } catch {
    return { ok: false, code: 'malformed_json', reason: 'body is not JSON' };
  }
  const id = readId(value);
  const version = typeof value === 'object' && value !== null && 'v' in value ? value.v : undefined;
  if (version !== ENVELOPE_VERSION) {
    return {
      ok: false,
      code: 'unknown_version',
      reason: `unknown envelope version ${JSON.stringify(version ?? null)}`,
      ...id,
    };
  }
  const result = envelopeV1Schema.safeParse(value);
  if (result.success) return { ok: true, envelope: result.data };
  const reason = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, code: 'invalid_envelope', reason, ...id };
}

function readId(value: unknown): { id?: string } {
  if (typeof value !== 'object' || value === null || !('id' in value)) return {};
  const parsed = z.uuid().safeParse(value.id);
  return parsed.success ? { id: parsed.data } : {};
}

/** Serializes an envelope for SQS. */
export function serializeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}
