import { newId } from '../ids';
import { SqsError } from './errors';
import { md5Hex, md5OfAttributes, type MessageAttributeMap } from './md5';
import { attributesSize, validateBody } from './message-content';
import type { Queue } from './queue';
import type { NewMessage, QueueMessage } from './queue-message';

/** The parts of a message a sender controls. */
export interface MessageParts {
  readonly body: string;
  readonly attributes: MessageAttributeMap;
  readonly systemAttributes?: MessageAttributeMap;
  readonly delaySeconds?: number;
}

/** Bytes a message counts toward MaximumMessageSize: the body plus its message attributes. */
export function messageSize(parts: Pick<MessageParts, 'body' | 'attributes'>): number {
  return Buffer.byteLength(parts.body) + attributesSize(parts.attributes);
}

/** Builds a message for `queue`, enforcing the body rules and the queue's size limit. */
export function buildMessage(queue: Queue, parts: MessageParts, senderId: string): NewMessage {
  validateBody(parts.body);
  const limit = queue.settings.maximumMessageSize;
  if (messageSize(parts) > limit) {
    throw new SqsError(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
    );
  }
  return {
    id: newId(),
    body: parts.body,
    md5OfBody: md5Hex(parts.body),
    attributes: parts.attributes,
    systemAttributes: parts.systemAttributes ?? new Map(),
    senderId,
    delaySeconds: parts.delaySeconds,
  };
}

/** The SendMessage result fields of a sent message. */
export function sendResult(message: QueueMessage): Record<string, string | undefined> {
  return {
    MessageId: message.id,
    MD5OfMessageBody: message.md5OfBody,
    MD5OfMessageAttributes: md5OfAttributes(message.attributes),
    MD5OfMessageSystemAttributes: md5OfAttributes(message.systemAttributes),
  };
}
