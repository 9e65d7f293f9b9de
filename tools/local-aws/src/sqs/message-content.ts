import { SqsError } from './errors';
import { isJsonObject, type JsonObject } from './input';
import type { MessageAttributeMap, MessageAttributeValue } from './md5';

/** The most message attributes one message may carry. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

// XML 1.0 characters, the only ones SQS accepts in a body or string attribute.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..{1,250})?$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether a string holds only characters SQS accepts in message content. */
export function hasOnlyValidCharacters(text: string): boolean {
  return !INVALID_CHARACTER.test(text);
}

/** Checks a message body: present and made of valid characters. */
export function validateBody(body: string): void {
  if (body.length === 0) {
    throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  }
  if (!hasOnlyValidCharacters(body)) {
    throw new SqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
}

function invalidAttribute(message: string): SqsError {
  return new SqsError('InvalidParameterValue', message);
}

/** Whether a message attribute name follows the SQS and SNS naming rules. */
export function isValidAttributeName(name: string): boolean {
  const lower = name.toLowerCase();
  const reserved = lower.startsWith('aws.') || lower.startsWith('amazon.');
  return (
    ATTRIBUTE_NAME.test(name) &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !reserved
  );
}

/** Whether a string is a number as message attributes of type Number accept it. */
export function isNumeric(text: string): boolean {
  return NUMBER.test(text.trim());
}

function validateName(name: string): void {
  if (!isValidAttributeName(name)) {
    throw invalidAttribute(
      `Message (user) attribute name '${name}' is invalid. Names may contain alphanumeric characters, ` +
        `'_', '-' and '.', must not start or end with '.', contain '..' or start with 'AWS.' or 'Amazon.'.`,
    );
  }
}

function decodeBinary(name: string, raw: unknown): Uint8Array {
  if (typeof raw !== 'string' || raw.length === 0 || !BASE64.test(raw)) {
    throw invalidAttribute(
      `The message attribute '${name}' must contain a non-empty base64 binary value.`,
    );
  }
  return Buffer.from(raw, 'base64');
}

function readStringValue(name: string, dataType: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw invalidAttribute(
      `The message attribute '${name}' must contain a non-empty message attribute value.`,
    );
  }
  if (dataType.startsWith('Number') && !isNumeric(raw)) {
    throw invalidAttribute(
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  }
  if (!hasOnlyValidCharacters(raw)) {
    throw invalidAttribute(`The message attribute '${name}' contains invalid characters.`);
  }
  return raw;
}

/** Decodes and validates one attribute value from its JSON wire form. */
export function parseAttributeValue(name: string, raw: unknown): MessageAttributeValue {
  if (!isJsonObject(raw))
    throw invalidAttribute(`The message attribute '${name}' must be an object.`);
  const dataType = raw.DataType;
  if (typeof dataType !== 'string' || !DATA_TYPE.test(dataType)) {
    throw invalidAttribute(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (dataType.startsWith('Binary'))
    return { dataType, binaryValue: decodeBinary(name, raw.BinaryValue) };
  return { dataType, stringValue: readStringValue(name, dataType, raw.StringValue) };
}

/** Decodes and validates the `MessageAttributes` of a send request. */
export function parseMessageAttributes(raw: unknown): MessageAttributeMap {
  if (raw === undefined || raw === null) return new Map();
  if (!isJsonObject(raw)) throw invalidAttribute('MessageAttributes must be a map.');
  const entries = Object.entries(raw);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidAttribute(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const attributes = new Map<string, MessageAttributeValue>();
  for (const [name, value] of entries) {
    validateName(name);
    attributes.set(name, parseAttributeValue(name, value));
  }
  return attributes;
}

/** Decodes and validates `MessageSystemAttributes`: only `AWSTraceHeader`, a String. */
export function parseSystemAttributes(raw: unknown): MessageAttributeMap {
  if (raw === undefined || raw === null) return new Map();
  if (!isJsonObject(raw)) throw invalidAttribute('MessageSystemAttributes must be a map.');
  const attributes = new Map<string, MessageAttributeValue>();
  for (const [name, value] of Object.entries(raw)) {
    if (name !== 'AWSTraceHeader') {
      throw invalidAttribute(`Message system attribute name '${name}' is invalid.`);
    }
    const parsed = parseAttributeValue(name, value);
    if (parsed.dataType !== 'String') {
      throw invalidAttribute(`Message system attribute '${name}' must be of type String.`);
    }
    attributes.set(name, parsed);
  }
  return attributes;
}

/** Bytes an attribute set counts toward the message size limit: names, types and values. */
export function attributesSize(attributes: MessageAttributeMap): number {
  let size = 0;
  for (const [name, value] of attributes) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.dataType);
    size += value.binaryValue
      ? value.binaryValue.byteLength
      : Buffer.byteLength(value.stringValue ?? '');
  }
  return size;
}

/** The JSON wire form of an attribute set (`BinaryValue` base64-encoded). */
export function attributesToWire(attributes: MessageAttributeMap): JsonObject {
  return Object.fromEntries(
    [...attributes].map(([name, value]) => [
      name,
      value.binaryValue
        ? {
            DataType: value.dataType,
            BinaryValue: Buffer.from(value.binaryValue).toString('base64'),
          }
        : { DataType: value.dataType, StringValue: value.stringValue },
    ]),
  );
}

/**
 * The attributes a receive asked for with `MessageAttributeNames`: `All` or `.*` for every one,
 * `prefix.*` for names starting with `prefix.`, otherwise exact names.
 */
export function selectAttributes(
  attributes: MessageAttributeMap,
  requested: readonly string[],
): MessageAttributeMap {
  if (requested.some((name) => name === 'All' || name === '.*')) return attributes;
  const prefixes = requested.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  const exact = new Set(requested);
  return new Map(
    [...attributes].filter(
      ([name]) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix)),
    ),
  );
}
