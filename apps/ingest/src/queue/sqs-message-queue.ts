import {
  SendMessageBatchCommand,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QUEUE_SETTINGS } from '@herald/config';
import type { Logger } from '@herald/observability';
import type { IngestMetrics } from '../metrics';
import type { MessageQueue, SendOutcome } from './message-queue';
import type { OutgoingMessage } from './outgoing-message';

export interface SqsMessageQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** How long the first message of a batch waits for company before the batch is sent. */
  readonly lingerMs: number;
  /** Entries per SendMessageBatch call (SQS allows 10). */
  readonly maxEntries?: number;
  /** Bytes per call (SQS allows 1 MiB for the whole request). */
  readonly maxBytes?: number;
  /** Sends of one entry SQS failed on its side (SenderFault false) before giving up. */
  readonly maxAttempts?: number;
  /** Wait before re-sending a failed entry, times the attempt number. */
  readonly retryDelayMs?: number;
  readonly metrics: IngestMetrics;
  readonly logger: Logger;
}

interface Pending {
  readonly message: OutgoingMessage;
  readonly attempt: number;
  readonly resolve: (outcome: SendOutcome) => void;
}

const SQS_MAX_ENTRIES = 10;

/** Thrown when options would make every call fail; the message names the option. */
export class SqsMessageQueueOptionsError extends Error {
  override readonly name = 'SqsMessageQueueOptionsError';
}

/**
 * The SQS queue. It coalesces the messages of concurrent requests into SendMessageBatch calls: a
 * batch leaves when it holds `maxEntries` messages, when the next message would overflow
 * `maxBytes`, or `lingerMs` after its first message. Under load SQS requests per message fall
 * toward 1/maxEntries. Entries SQS failed on its side are retried; each caller gets its entry's
 * outcome.
 */
export class SqsMessageQueue implements MessageQueue {
  readonly #options: Required<
    Omit<SqsMessageQueueOptions, 'client' | 'queueUrl' | 'metrics' | 'logger'>
  > &
    SqsMessageQueueOptions;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #retriesWaiting = 0;
  #closed = false;

  constructor(options: SqsMessageQueueOptions) {
    this.#options = {
      maxEntries: SQS_MAX_ENTRIES,
      maxBytes: QUEUE_SETTINGS.maxMessageBytes,
      maxAttempts: 3,
      retryDelayMs: 50,
      ...options,
    };
    const { maxEntries, maxBytes, lingerMs, maxAttempts } = this.#options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > SQS_MAX_ENTRIES) {
      throw new SqsMessageQueueOptionsError(
        `maxEntries must be 1-${SQS_MAX_ENTRIES}, got ${maxEntries}`,
      );
    }
    if (maxBytes < 1 || maxBytes > QUEUE_SETTINGS.maxMessageBytes) {
      throw new SqsMessageQueueOptionsError(
        `maxBytes must be 1-${QUEUE_SETTINGS.maxMessageBytes}, got ${maxBytes}`,
      );
    }
    if (lingerMs < 0)
      throw new SqsMessageQueueOptionsError(`lingerMs must be ≥ 0, got ${lingerMs}`);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new SqsMessageQueueOptionsError(`maxAttempts must be ≥ 1, got ${maxAttempts}`);
  }

  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]> {
    return Promise.all(messages.map((message) => this.add(message)));
  }

  /** Resolves when SQS accepted or refused the message; never rejects. */
  add(message: OutgoingMessage): Promise<SendOutcome> {
    if (this.#closed) {
      return Promise.resolve({
        ok: false,
        kind: 'unavailable',
        retryable: true,
        reason: 'the service is shutting down',
      });
    }
    return new Promise((resolve) => {
      this.#push({ message, attempt: 1, resolve });
    });
  }

  /** Sends everything buffered (and pending retries) and waits for the answers. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight.size > 0 || this.#retriesWaiting > 0) {
      if (this.#pending.length > 0) this.#sendPending();
      if (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
      else await new Promise((resolve) => setTimeout(resolve, this.#options.retryDelayMs));
    }
  }

  /** Refuses new messages, then flushes. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #push(entry: Pending): void {
    if (
      this.#pending.length > 0 &&
      this.#pendingBytes + entry.message.size > this.#options.maxBytes
    )
      this.#sendPending();
    this.#pending.push(entry);
    this.#pendingBytes += entry.message.size;
    if (this.#pending.length >= this.#options.maxEntries) this.#sendPending();
    else
      this.#timer ??= setTimeout(() => {
        this.#sendPending();
      }, this.#options.lingerMs);
  }

  #sendPending(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    const sending = this.#send(batch).finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }

  async #send(batch: readonly Pending[]): Promise<void> {
    const { client, queueUrl, metrics, logger } = this.#options;
    const entries: SendMessageBatchRequestEntry[] = batch.map((pending, index) => ({
      Id: String(index),
      MessageBody: pending.message.body,
      MessageAttributes: stringAttributes(pending.message.attributes),
    }));
    metrics.sqsRequests += 1;
    let output;
    try {
      output = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
    } catch (error) {
      // The SDK already retried transient failures; what reaches here means SQS is unreachable
      // (or misconfigured): every message of the call fails, and the request answers 503.
      logger.error({ err: error, messages: batch.length }, 'SendMessageBatch failed');
      for (const pending of batch)
        this.#settle(pending, {
          ok: false,
          kind: 'unavailable',
          retryable: true,
          reason: 'the queue is unreachable',
        });
      return;
    }
    const succeeded = new Set((output.Successful ?? []).map((entry) => entry.Id));
    const failed = new Map((output.Failed ?? []).map((entry) => [entry.Id, entry]));
    batch.forEach((pending, index) => {
      const id = String(index);
      if (succeeded.has(id)) {
        this.#settle(pending, { ok: true });
        return;
      }
      const failure = failed.get(id);
      const senderFault = failure?.SenderFault === true;
      const reason = `${failure?.Code ?? 'MissingResult'}: ${failure?.Message ?? 'SQS returned no result for this entry'}`;
      if (!senderFault && pending.attempt < this.#options.maxAttempts) {
        this.#retry(pending);
        return;
      }
      logger.warn(
        { messageId: pending.message.id, reason, attempt: pending.attempt },
        'SQS refused a batch entry',
      );
      this.#settle(pending, { ok: false, kind: 'rejected', retryable: !senderFault, reason });
    });
  }

  #retry(pending: Pending): void {
    this.#options.metrics.entryRetries += 1;
    this.#retriesWaiting += 1;
    setTimeout(() => {
      this.#retriesWaiting -= 1;
      this.#push({ ...pending, attempt: pending.attempt + 1 });
    }, this.#options.retryDelayMs * pending.attempt);
  }

  #settle(pending: Pending, outcome: SendOutcome): void {
    if (outcome.ok) this.#options.metrics.messagesEnqueued += 1;
    else this.#options.metrics.enqueueFailures += 1;
    pending.resolve(outcome);
  }
}

/** SQS String message attributes, built in one loop (no entries arrays per message). */
function stringAttributes(
  attributes: Readonly<Record<string, string>>,
): Record<string, MessageAttributeValue> {
  const result: Record<string, MessageAttributeValue> = {};
  for (const name in attributes)
    result[name] = { DataType: 'String', StringValue: attributes[name] };
  return result;
}
