import { createHash } from 'node:crypto';

/** One message attribute as SQS stores it. */
export interface MessageAttributeValue {
  /** `String`, `Number` or `Binary`, optionally with a custom label (`Number.int`). */
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

/** Message attributes by name. A Map, so names like `__proto__` stay plain keys. */
export type MessageAttributeMap = ReadonlyMap<string, MessageAttributeValue>;

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

/** The hex MD5 of a string's UTF-8 bytes, as `MD5OfMessageBody` carries it. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.byteLength);
  return Buffer.concat([length, bytes]);
}

function encodeAttribute(name: string, value: MessageAttributeValue): Buffer[] {
  const isBinary = value.dataType.startsWith('Binary');
  const payload = isBinary
    ? (value.binaryValue ?? new Uint8Array())
    : Buffer.from(value.stringValue ?? '', 'utf8');
  return [
    lengthPrefixed(Buffer.from(name, 'utf8')),
    lengthPrefixed(Buffer.from(value.dataType, 'utf8')),
    Buffer.from([isBinary ? BINARY_TRANSPORT : STRING_TRANSPORT]),
    lengthPrefixed(payload),
  ];
}

/**
 * The MD5 AWS computes over message attributes (`MD5OfMessageAttributes`,
 * `MD5OfMessageSystemAttributes`): for each attribute in order of name, the length-prefixed
 * name, the length-prefixed data type, a transport byte (1 string/number, 2 binary) and the
 * length-prefixed value. Undefined when there are no attributes, as SQS then omits the field.
 *
 * @example md5OfAttributes(new Map([['timestamp', { dataType: 'Number', stringValue: '1493147359900' }]]))
 *   // '235c5c510d26fb653d073faed50ae77c'
 */
export function md5OfAttributes(attributes: MessageAttributeMap): string | undefined {
  if (attributes.size === 0) return undefined;
  // Default sort compares UTF-16 code units, as Java's String.compareTo does on the AWS side.
  const names = [...attributes.keys()].sort();
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes.get(name);
    if (value) for (const part of encodeAttribute(name, value)) hash.update(part);
  }
  return hash.digest('hex');
}
