import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type AbortSignalLike, JsonFastPath } from './json-fast-path';

/**
 * The SQS calls of the message path, by the SDK's command name. Each one's JSON request is its
 * command's input as is and its answer is the SDK's output as is (strings and numbers only), once
 * binary message attributes are set apart: a command carrying one goes through the SDK, and a
 * received one is decoded from base64 as the SDK does.
 */
const OPERATIONS = new Map<string, string>(
  [
    'SendMessageBatch',
    'SendMessage',
    'ReceiveMessage',
    'DeleteMessageBatch',
    'DeleteMessage',
    'ChangeMessageVisibilityBatch',
    'ChangeMessageVisibility',
  ].map((operation) => [`${operation}Command`, operation]),
);

/** Where smithy puts the `send` options (`@smithy/types` SMITHY_CONTEXT_KEY). */
const SMITHY_CONTEXT_KEY = '__smithy_context';

export interface SqsFastPathOptions {
  readonly region: string;
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Adds the fast path (`json-fast-path.ts`) to an SQS client as its innermost `initialize`
 * middleware: a message-path command is sent as one signed HTTP attempt and its 2xx answer
 * returned without the rest of the SDK's stack (serde, endpoint rules, retry, signing
 * middleware). Anything else, and every other command, continues down the SDK's stack unchanged:
 * its retries, errors and abort behaviour are what callers see on failure. Middleware added with
 * the default priority (the worker's usage meter and batch audit) wraps both paths alike. Calls go
 * to the queue URL's host, as the SDK's default `useQueueUrlAsEndpoint` does.
 *
 * The client must be built with `cacheMiddleware: true`, or the SDK spends about 200 µs per call
 * building the stack the fast path then skips.
 */
export function installSqsFastPath(client: SQSClient, options: SqsFastPathOptions): void {
  const fastPath = new JsonFastPath({
    service: 'sqs',
    targetPrefix: 'AmazonSQS',
    region: options.region,
    credentials: client.config.credentials,
    httpAgent: options.httpAgent,
    httpsAgent: options.httpsAgent,
    connectionTimeoutMs: options.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    headers: { 'x-amzn-query-mode': 'true' },
  });
  const endpoints = new Map<string, URL>();
  const endpointOf = (queueUrl: unknown): URL | undefined => {
    if (typeof queueUrl !== 'string') return undefined;
    let endpoint = endpoints.get(queueUrl);
    if (endpoint) return endpoint;
    try {
      endpoint = new URL('/', queueUrl);
    } catch {
      return undefined;
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') return undefined;
    if (endpoints.size >= 100) endpoints.clear();
    endpoints.set(queueUrl, endpoint);
    return endpoint;
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = OPERATIONS.get(context.commandName ?? '');
      const input = args.input as Record<string, unknown>;
      const endpoint = operation ? endpointOf(input.QueueUrl) : undefined;
      if (operation === undefined || endpoint === undefined || carriesBinary(input))
        return next(args);
      const signal = (context as { [SMITHY_CONTEXT_KEY]?: { abortSignal?: AbortSignalLike } })[
        SMITHY_CONTEXT_KEY
      ]?.abortSignal;
      const output = await fastPath.tryCall(operation, JSON.stringify(input), endpoint, signal);
      if (output === undefined) return next(args);
      if (operation === 'ReceiveMessage') decodeBinaryAttributes(output.Messages);
      return {
        output: output as never,
        response: { statusCode: output.$metadata.httpStatusCode, headers: {} },
      };
    },
    { step: 'initialize', priority: 'low', name: 'heraldSqsFastPath', override: true },
  );
}

/** True when a message attribute is binary (a Uint8Array the JSON form would mangle). */
function carriesBinary(input: Record<string, unknown> | undefined): boolean {
  if (!input) return false;
  const hasBinary = (attributes: unknown): boolean =>
    attributes !== null &&
    typeof attributes === 'object' &&
    Object.values(attributes).some(
      (value) =>
        (value as { BinaryValue?: unknown }).BinaryValue !== undefined ||
        (value as { BinaryListValues?: unknown }).BinaryListValues !== undefined,
    );
  if (hasBinary(input.MessageAttributes) || hasBinary(input.MessageSystemAttributes)) return true;
  const entries = input.Entries;
  return (
    Array.isArray(entries) &&
    entries.some(
      (entry: Record<string, unknown>) =>
        hasBinary(entry.MessageAttributes) || hasBinary(entry.MessageSystemAttributes),
    )
  );
}

/** The SDK answers binary attribute values as bytes; the JSON answer carries them in base64. */
function decodeBinaryAttributes(messages: unknown): void {
  if (!Array.isArray(messages)) return;
  for (const message of messages as { MessageAttributes?: Record<string, unknown> }[]) {
    for (const value of Object.values(message.MessageAttributes ?? {}) as {
      BinaryValue?: unknown;
      BinaryListValues?: unknown[];
    }[]) {
      if (typeof value.BinaryValue === 'string')
        value.BinaryValue = new Uint8Array(Buffer.from(value.BinaryValue, 'base64'));
      if (Array.isArray(value.BinaryListValues))
        value.BinaryListValues = value.BinaryListValues.map((item) =>
          typeof item === 'string' ? new Uint8Array(Buffer.from(item, 'base64')) : item,
        );
    }
  }
}
