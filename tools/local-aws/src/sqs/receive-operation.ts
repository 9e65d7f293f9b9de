import type { SqsContext } from './context';
import { optionalInteger, requiredString, stringList, type JsonObject } from './input';
import { pollUntilAvailable } from './long-poll';
import { md5OfAttributes } from './md5';
import { attributesToWire, selectAttributes } from './message-content';
import type { QueueMessage, ReceivedMessage } from './queue-message';

type SystemAttributeReader = (message: QueueMessage) => string | undefined;

const SYSTEM_ATTRIBUTES: Readonly<Record<string, SystemAttributeReader>> = {
  SenderId: (message) => message.senderId,
  SentTimestamp: (message) => String(message.sentAt),
  ApproximateReceiveCount: (message) => String(message.receiveCount),
  ApproximateFirstReceiveTimestamp: (message) =>
    message.firstReceivedAt === undefined ? undefined : String(message.firstReceivedAt),
  AWSTraceHeader: (message) => message.systemAttributes.get('AWSTraceHeader')?.stringValue,
  DeadLetterQueueSourceArn: (message) => message.deadLetterSourceArn,
};

/** The system attributes asked for by `AttributeNames` (legacy) and `MessageSystemAttributeNames`. */
function requestedSystemAttributes(input: JsonObject): string[] {
  const names = [
    ...stringList(input, 'AttributeNames'),
    ...stringList(input, 'MessageSystemAttributeNames'),
  ];
  if (names.includes('All')) return Object.keys(SYSTEM_ATTRIBUTES);
  // Names that do not apply to standard queues (MessageGroupId…) or to messages are ignored, as SQS does.
  return names.filter((name) => name in SYSTEM_ATTRIBUTES);
}

function systemAttributes(message: QueueMessage, names: readonly string[]): JsonObject | undefined {
  const entries = names
    .map((name) => [name, SYSTEM_ATTRIBUTES[name]?.(message)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function formatMessage(
  received: ReceivedMessage,
  systemNames: readonly string[],
  attributeNames: readonly string[],
): JsonObject {
  const { message, receiptHandle } = received;
  const attributes = selectAttributes(message.attributes, attributeNames);
  return {
    MessageId: message.id,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: systemAttributes(message, systemNames),
    // Like SQS, the digest covers the attributes returned, not every attribute of the message.
    MD5OfMessageAttributes: md5OfAttributes(attributes),
    MessageAttributes: attributes.size > 0 ? attributesToWire(attributes) : undefined,
  };
}

/**
 * ReceiveMessage: long-polls up to WaitTimeSeconds (the queue's ReceiveMessageWaitTimeSeconds
 * by default) and answers as soon as at least one message is available.
 */
export async function receiveMessage(input: JsonObject, context: SqsContext): Promise<JsonObject> {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const maxMessages = optionalInteger(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibilityTimeout = optionalInteger(input, 'VisibilityTimeout', 0, 43_200);
  const waitSeconds =
    optionalInteger(input, 'WaitTimeSeconds', 0, 20) ??
    queue.settings.receiveMessageWaitTimeSeconds;
  const systemNames = requestedSystemAttributes(input);
  const attributeNames = stringList(input, 'MessageAttributeNames');
  const received = await pollUntilAvailable(
    queue,
    () => queue.receive(maxMessages, visibilityTimeout),
    {
      waitMs: waitSeconds * 1000,
      signal: context.signal,
    },
  );
  if (received.length === 0) return {};
  return {
    Messages: received.map((message) => formatMessage(message, systemNames, attributeNames)),
  };
}
