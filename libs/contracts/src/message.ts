import { z } from 'zod';
import { ATTRIBUTE_KEY_PATTERN, CHANNEL_PATTERN, LIMITS } from './limits';
import { findUnstorable, unstorableStringReason } from './storable-json';

/** UTF-8 size of a body as it will be stored: the string itself, or its JSON text. */
export function bodyByteLength(body: unknown): number {
  return utf8ByteLength(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * Bytes of `text` in UTF-8, counted without encoding it (TextEncoder allocated a copy of every
 * body; Buffer.byteLength is Node-only and this library also runs in browsers). A lone surrogate
 * counts 3 bytes, as its U+FFFD replacement.
 */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      // A pair: two code units, four bytes.
      bytes += 2;
      index += 1;
    } else bytes += 2;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Adds the issue `findUnstorable` finds in `value`, at its path. */
function refuseUnstorable(value: unknown, context: z.RefinementCtx): boolean {
  const issue = findUnstorable(value);
  if (issue) context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
  return issue === undefined;
}

/** A string the worker can store unchanged (no NUL, no lone surrogate). */
export function storableString() {
  return z.string().superRefine((value, context) => {
    const message = unstorableStringReason(value);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  });
}

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

/** The storable-value rules, for the API docs. */
export const STORABLE_RULES =
  'a number must be one a 64-bit float holds exactly as written (2^64, 9007199254740993, 1e400, 1e-400 and -0 are refused; 1.0 and 1e2 are kept by value and read back as 1 and 100); no string or key may hold NUL or a lone UTF-16 surrogate; no key may be `__proto__`. Each refusal is a 422 naming the JSON pointer.';

/** A JSON value as a message body carries it. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// z.unknown, not z.json: z.json copies objects and a copy silently drops a `__proto__` key,
// which must be refused instead; the value passes through untouched once checked.
export const messageBodySchema = z
  .unknown()
  .superRefine((body, context) => {
    if (body === undefined) {
      context.addIssue({ code: 'custom', message: 'is required' });
    } else if (body === null) {
      context.addIssue({ code: 'custom', message: 'must not be null (send text or a JSON value)' });
    } else if (refuseUnstorable(body, context) && bodyByteLength(body) > LIMITS.bodyMaxBytes) {
      context.addIssue({
        code: 'custom',
        message: `must be at most ${LIMITS.bodyMaxBytes} bytes (UTF-8, JSON-encoded when not text)`,
      });
    }
  })
  .meta({
    description: `Text, or any JSON value but null. Stored unchanged: ${STORABLE_RULES}`,
    example: { orderId: 42, total: 99.5 },
  }) as unknown as z.ZodType<JsonValue>;
export type MessageBody = z.infer<typeof messageBodySchema>;

// The preprocess sees the object as parsed: z.record skips an own `__proto__` key silently.
export const attributesSchema = z
  .preprocess(
    (value, context) => {
      if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
        context.addIssue({
          code: 'custom',
          message: 'the key __proto__ is refused',
          path: ['__proto__'],
          input: value,
        });
      return value;
    },
    z.record(
      z
        .string()
        .max(
          LIMITS.attributeKeyMaxLength,
          `keys must be at most ${LIMITS.attributeKeyMaxLength} characters`,
        )
        .regex(ATTRIBUTE_KEY_PATTERN, 'keys must use only A-Z a-z 0-9 . _ : -'),
      storableString().max(
        LIMITS.attributeValueMaxLength,
        `values must be at most ${LIMITS.attributeValueMaxLength} characters`,
      ),
    ),
  )
  .refine((attributes) => Object.keys(attributes).length <= LIMITS.attributesMaxCount, {
    message: `must have at most ${LIMITS.attributesMaxCount} entries`,
  })
  .meta({
    description: 'Free-form string attributes.',
    example: { region: 'eu-west-1' },
  }) as unknown as z.ZodType<Record<string, string>, Record<string, string>>;
// The cast keeps the input type a record: a preprocess alone would type it `unknown`, and the
// typed client (@herald/client) takes its message type from z.input of this schema.

/** What a producer posts for one message. Unknown fields are rejected. */
export const messageInputSchema = z
  .strictObject({
    channel: channelSchema,
    body: messageBodySchema,
    sender: storableString().min(1).max(LIMITS.senderMaxLength).optional(),
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
