import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@herald/observability';
import type { IngestMetrics } from '../metrics';
import type { MessageQueue, OutgoingMessage, SendOutcome } from './message-queue';
import { SendBatcher } from './send-batcher';

export interface SqsMessageQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly lingerMs: number;
  readonly maxAttempts?: number;
  readonly metrics: IngestMetrics;
  readonly logger: Logger;
}

/** The SQS queue, with the sends of concurrent requests coalesced into SendMessageBatch calls. */
export class SqsMessageQueue implements MessageQueue {
  readonly #batcher: SendBatcher;

  constructor(options: SqsMessageQueueOptions) {
    this.#batcher = new SendBatcher(options);
  }

  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]> {
    return Promise.all(messages.map((message) => this.#batcher.add(message)));
  }

  close(): Promise<void> {
    return this.#batcher.close();
  }
}
