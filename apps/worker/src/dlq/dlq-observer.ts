import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@herald/observability';
import { decodeBatch } from '../consume/decode';
import { describeError } from '../errors';
import type { Clock } from '../clock';
import type { MetadataStore, RejectedStatus } from '../metadata/metadata-store';

export interface DlqObserverOptions {
  readonly dlqUrl: string;
  /** Pause between two samplings of the DLQ. */
  readonly intervalMs: number;
  /** Receives per sampling (10 messages each); stops early when nothing new shows up. */
  readonly receivesPerRound?: number;
  /** SQS MessageIds remembered as recorded, so a sampling does not write them again. */
  readonly rememberMax?: number;
}

export interface DlqObserverDeps {
  readonly sqs: SQSClient;
  readonly metadata: MetadataStore;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * Records `dead_lettered` for messages that reached the DLQ, WITHOUT consuming them: it receives
 * with VisibilityTimeout 0 and never deletes, so the messages stay visible to the DLQ-depth
 * alarm and to an operator's redrive. A `stored` status is never overwritten (a message may have
 * been stored after all and dead-lettered only because its delete kept failing).
 */
export class DlqObserver {
  #timer: NodeJS.Timeout | undefined;
  readonly #abort = new AbortController();
  readonly #recorded = new Set<string>();
  #running = false;
  #round: Promise<void> = Promise.resolve();

  readonly #deps: DlqObserverDeps;
  readonly #options: DlqObserverOptions;

  constructor(deps: DlqObserverDeps, options: DlqObserverOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#schedule(0);
  }

  /** Stops sampling and cancels a receive in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#round;
  }

  /** One sampling of the DLQ (exposed for tests). */
  async observe(): Promise<number> {
    let recorded = 0;
    for (
      let receive = 0;
      receive < (this.#options.receivesPerRound ?? 5) && this.#running;
      receive += 1
    ) {
      const output = await this.#deps.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#options.dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
        { abortSignal: this.#abort.signal },
      );
      const fresh = (output.Messages ?? []).filter(
        (message) => !this.#recorded.has(message.MessageId ?? ''),
      );
      if (fresh.length === 0) break;
      recorded += await this.#record(fresh);
    }
    return recorded;
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#round = this.observe()
        .then((count) => {
          if (count > 0) this.#deps.logger.warn({ count }, 'dead-lettered messages recorded');
        })
        .catch((error: unknown) => {
          if (this.#running)
            this.#deps.logger.error({ err: describeError(error) }, 'DLQ observation failed');
        })
        .finally(() => {
          this.#schedule(this.#options.intervalMs);
        });
    }, delayMs);
  }

  async #record(messages: readonly Message[]): Promise<number> {
    const { accepted, rejected } = decodeBatch(messages);
    const statuses: { sqsMessageId: string; status: RejectedStatus }[] = [
      ...accepted.map(({ sqs, envelope }) => ({
        sqsMessageId: sqs.MessageId ?? '',
        status: {
          tenant: envelope.tenant,
          id: envelope.id,
          channel: envelope.channel,
          reason: 'reached the dead-letter queue',
        },
      })),
      ...rejected.map(({ sqs, tenant, id, channel, code }) => ({
        sqsMessageId: sqs.MessageId ?? '',
        status: {
          tenant,
          id,
          reason: `reached the dead-letter queue (${code})`,
          ...(channel ? { channel } : {}),
        },
      })),
    ];
    const now = new Date(this.#deps.clock());
    let count = 0;
    for (const { sqsMessageId, status } of statuses) {
      const write = await this.#deps.metadata.markDeadLettered(status, now);
      this.#remember(sqsMessageId);
      if (write.written) count += 1;
      this.#deps.logger.warn(
        { messageId: status.id, tenant: status.tenant, sqsMessageId, written: write.written },
        'message dead-lettered',
      );
    }
    return count;
  }

  #remember(sqsMessageId: string): void {
    this.#recorded.add(sqsMessageId);
    if (this.#recorded.size > (this.#options.rememberMax ?? 10_000)) {
      const oldest = this.#recorded.values().next();
      if (!oldest.done) this.#recorded.delete(oldest.value);
    }
  }
}
