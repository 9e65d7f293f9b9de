import { batchEntries, runBatch } from './batch';
import type { SqsContext } from './context';
import { SqsError } from './errors';
import { optionalInteger, requiredString, type JsonObject } from './input';
import { parseMessageAttributes, parseSystemAttributes } from './message-content';
import { buildMessage, messageSize, sendResult } from './message-factory';
import type { Queue } from './queue';

/** The most bytes of message content one SendMessageBatch may carry. */
export const MAX_BATCH_BYTES = 1_048_576;

const MAX_VISIBILITY_TIMEOUT = 43_200;

function sendEntry(queue: Queue, entry: JsonObject, senderId: string): JsonObject {
  const parts = {
    body: requiredString(entry, 'MessageBody'),
    attributes: parseMessageAttributes(entry.MessageAttributes),
    systemAttributes: parseSystemAttributes(entry.MessageSystemAttributes),
    delaySeconds: optionalInteger(entry, 'DelaySeconds', 0, 900),
  };
  return sendResult(queue.send(buildMessage(queue, parts, senderId)));
}

function rawEntrySize(entry: JsonObject): number {
  const body = typeof entry.MessageBody === 'string' ? entry.MessageBody : '';
  try {
    return messageSize({ body, attributes: parseMessageAttributes(entry.MessageAttributes) });
  } catch {
    // Invalid attributes fail their entry later; only the body counts toward the batch size.
    return Buffer.byteLength(body);
  }
}

/** SendMessage. */
export function sendMessage(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  return sendEntry(queue, input, context.senderId);
}

/** SendMessageBatch: BatchRequestTooLong past 1 MiB in total, otherwise per-entry results. */
export function sendMessageBatch(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
  const total = entries.reduce((sum, entry) => sum + rawEntrySize(entry), 0);
  if (total > MAX_BATCH_BYTES) {
    throw new SqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
    );
  }
  return runBatch(entries, (entry) => sendEntry(queue, entry, context.senderId));
}

/** DeleteMessage: a stale or unknown receipt handle is ReceiptHandleIsInvalid. */
export function deleteMessage(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  queue.deleteMessage(requiredString(input, 'ReceiptHandle'));
  return {};
}

/** DeleteMessageBatch: per-entry results. */
export function deleteMessageBatch(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const entries = batchEntries(input, 'DeleteMessageBatchRequestEntry');
  return runBatch(entries, (entry) => {
    queue.deleteMessage(requiredString(entry, 'ReceiptHandle'));
    return {};
  });
}

function changeEntry(queue: Queue, entry: JsonObject): JsonObject {
  const handle = requiredString(entry, 'ReceiptHandle');
  const timeout = optionalInteger(entry, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT);
  if (timeout === undefined) {
    throw new SqsError(
      'MissingParameter',
      'The request must contain the parameter VisibilityTimeout.',
    );
  }
  queue.changeVisibility(handle, timeout);
  return {};
}

/** ChangeMessageVisibility: MessageNotInflight unless the message is in flight. */
export function changeMessageVisibility(input: JsonObject, context: SqsContext): JsonObject {
  return changeEntry(context.store.get(requiredString(input, 'QueueUrl')), input);
}

/** ChangeMessageVisibilityBatch: per-entry results. */
export function changeMessageVisibilityBatch(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const entries = batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry');
  return runBatch(entries, (entry) => changeEntry(queue, entry));
}
