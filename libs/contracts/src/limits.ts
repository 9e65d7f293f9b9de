/** Bounds on everything a producer sends. Each one is documented in the OpenAPI document. */
export const LIMITS = {
  /** Channel names: url-safe, so they can sit in a path segment unescaped. */
  channelMaxLength: 128,
  senderMaxLength: 256,
  /** UTF-8 bytes of the body (the JSON text when the body is JSON). */
  bodyMaxBytes: 256 * 1024,
  attributesMaxCount: 16,
  attributeKeyMaxLength: 128,
  attributeValueMaxLength: 1024,
  /** Messages in one `POST /v1/messages/batch`. */
  batchMaxMessages: 100,
  /** Raw request body, checked before parsing. */
  requestMaxBytes: 1024 * 1024,
  idempotencyKeyMaxLength: 255,
  historyPageMax: 100,
  historyPageDefault: 25,
} as const;

export const CHANNEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Printable ASCII without spaces, as HTTP header values allow unambiguously. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]+$/;
