import { z } from 'zod';
import { ATTRIBUTE_KEY_PATTERN, CHANNEL_PATTERN, LIMITS } from './limits';

const utf8 = new TextEncoder();

/** UTF-8 size of a body as it will be stored: the string itself, or its JSON text. */
export function bodyByteLength(body: unknown): number {
  return utf8.encode(typeof body === 'string' ? body : JSON.stringify(body)).byteLength;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a message carrying one would be accepted and
 * then fail forever in the worker. Reject it at the door.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
  }
  return false;
}

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

export const channelSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.channelMaxLength, `must be at most ${LIMITS.channelMaxLength} characters`)
  .regex(CHANNEL_PATTERN, 'must start with a letter or digit and use only A-Z a-z 0-9 . _ ~ -')
  .meta({ description: 'Channel (topic) name, url-safe.', example: 'orders' });

export const prioritySchema = z
  .enum(['low', 'normal', 'high', 'critical'])
  .meta({ id: 'Priority', description: '`critical` messages raise an SNS alert once stored.' });
export type Priority = z.infer<typeof prioritySchema>;

export const messageBodySchema = z
  .union([z.string(), z.json()])
  .refine((body) => bodyByteLength(body) <= LIMITS.bodyMaxBytes, {
    message: `must be at most ${LIMITS.bodyMaxBytes} bytes (UTF-8, JSON-encoded when not text)`,
  })
  .refine((body) => !containsNul(body), { message: NUL_MESSAGE })
  .meta({ description: 'Text, or any JSON value.', example: { orderId: 42, total: 99.5 } });
export type MessageBody = z.infer<typeof messageBodySchema>;

export const attributesSchema = z
  .record(
    z
      .string()
      .max(
        LIMITS.attributeKeyMaxLength,
        `keys must be at most ${LIMITS.attributeKeyMaxLength} characters`,
      )
      .regex(ATTRIBUTE_KEY_PATTERN, 'keys must use only A-Z a-z 0-9 . _ : -'),
    z
      .string()
      .max(
        LIMITS.attributeValueMaxLength,
        `values must be at most ${LIMITS.attributeValueMaxLength} characters`,
      )
      .refine((value) => !value.includes('\u0000'), { message: NUL_MESSAGE }),
  )
  .refine((attributes) => Object.keys(attributes).length <= LIMITS.attributesMaxCount, {
    message: `must have at most ${LIMITS.attributesMaxCount} entries`,
  })
  .meta({ description: 'Free-form string attributes.', example: { region: 'eu-west-1' } });

/** What a producer posts for one message. Unknown fields are rejected. */
export const messageInputSchema = z
  .strictObject({
    channel: channelSchema,
    body: messageBodySchema,
    sender: z
      .string()
      .min(1)
      .max(LIMITS.senderMaxLength)
      .refine((value) => !value.includes('\u0000'), { message: NUL_MESSAGE })
      .optional(),
    attributes: attributesSchema.default({}),
    priority: prioritySchema.default('normal'),
  })
  .meta({ id: 'MessageInput' });
export type MessageInput = z.infer<typeof messageInputSchema>;
/** The shape a producer may send (defaults not yet applied). */
export type MessageInputRaw = z.input<typeof messageInputSchema>;

export const batchInputSchema = z
  .strictObject({
    messages: z
      .array(z.unknown())
      .min(1, 'must contain at least one message')
      .max(LIMITS.batchMaxMessages, `must contain at most ${LIMITS.batchMaxMessages} messages`)
      .meta({
        description:
          'Each entry is a MessageInput, validated on its own so one bad entry does not fail the batch.',
      }),
  })
  .meta({ id: 'BatchInput' });
export type BatchInput = z.infer<typeof batchInputSchema>;
