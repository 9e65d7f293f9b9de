import type { EdgeRequest } from '../http/edge-request';
import { accessKeyId } from '../http/edge-request';
import { jsonReply, type HttpReply } from '../http/reply';
import { ACCOUNT_ID } from '../ids';
import type { Logger } from '../logger';
import type { SqsOperation } from './context';
import { SqsError, type SqsErrorCode } from './errors';
import { isJsonObject, type JsonObject } from './input';
import {
  changeMessageVisibility,
  changeMessageVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
  sendMessage,
  sendMessageBatch,
} from './message-operations';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './move-tasks';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listDeadLetterSourceQueues,
  listQueues,
  listQueueTags,
  purgeQueue,
  setQueueAttributes,
  tagQueue,
  untagQueue,
} from './queue-operations';
import { receiveMessage } from './receive-operation';
import type { SqsStore } from './sqs-store';

const OPERATIONS: Readonly<Record<string, SqsOperation>> = {
  CreateQueue: createQueue,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  ListQueues: listQueues,
  GetQueueUrl: getQueueUrl,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  StartMessageMoveTask: startMessageMoveTask,
  ListMessageMoveTasks: listMessageMoveTasks,
  CancelMessageMoveTask: cancelMessageMoveTask,
};

/**
 * The AWS JSON 1.0 answer for an SQS error, query-compatible: `__type` in the body plus the
 * `x-amzn-query-error` header from which the SDK picks its exception class.
 */
export function sqsErrorReply(error: SqsError): HttpReply {
  const wire = error.wire;
  const headers: Record<string, string> = {};
  if (wire.queryCode !== undefined)
    headers['x-amzn-query-error'] = `${wire.queryCode};${wire.fault}`;
  return jsonReply(wire.status, { __type: wire.type, message: error.message }, headers);
}

/** An SQS error answer from a code and message. */
export function sqsError(code: SqsErrorCode, message: string): HttpReply {
  return sqsErrorReply(new SqsError(code, message));
}

function parseInput(body: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new SqsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isJsonObject(parsed))
    throw new SqsError('SerializationException', 'The request body must be a JSON object.');
  return parsed;
}

/** Creates the handler of `x-amz-target: AmazonSQS.<Operation>` requests. */
export function createSqsHandler(store: SqsStore, logger: Logger) {
  return async function handleSqsRequest(
    request: EdgeRequest,
    operationName: string,
  ): Promise<HttpReply> {
    const operation = Object.hasOwn(OPERATIONS, operationName)
      ? OPERATIONS[operationName]
      : undefined;
    try {
      if (!operation) throw new SqsError('UnknownOperation', `Unknown operation ${operationName}.`);
      const context = {
        store,
        host: request.host,
        senderId: accessKeyId(request.headers) ?? ACCOUNT_ID,
        signal: request.signal,
      };
      return jsonReply(200, await operation(parseInput(request.body), context));
    } catch (error) {
      if (error instanceof SqsError) return sqsErrorReply(error);
      logger.error('sqs operation failed', { operation: operationName, error });
      return sqsError('InternalError', 'We encountered an internal error. Please try again.');
    }
  };
}
