import type { Message } from '@aws-sdk/client-sqs';
import { latencyOf, type BatchMetrics } from '../metrics/batch-metrics';
import { decodeBatch } from './decode';
import { BatchTimeoutError } from '../errors';
import type { OutageBackoff } from './outage-backoff';
import type { AlertPublisher } from '../alerts/alert-publisher';
import type { Clock } from '../clock';
import type { MessageStore } from '../store/message-store';
import type { MetadataStore } from '../metadata/metadata-store';
import { settleAccepted } from '../settle/settle-accepted';
import { settleRejected } from '../settle/settle-rejected';
import type { Logger } from '@herald/observability';

export interface BatchHandlerDeps {
  readonly store: MessageStore;
  readonly metadata: MetadataStore;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A batch still running after this long throws BatchTimeoutError (nothing is deleted). */
  readonly batchTimeoutMs: number;
  /** Told when a batch failed for an outage, so the consumers slow down. */
  readonly backoff?: OutageBackoff;
  /** Told the metrics of every batch (process totals). */
  readonly onBatch?: (metrics: BatchMetrics) => void;
}

/**
 * Builds sqs-consumer's `handleMessageBatch`: it returns exactly the messages whose effects are
 * all durable (stored, metadata synced, alert sent and recorded); the others stay on the queue
 * and SQS redelivers them, then dead-letters them after maxReceiveCount.
 */
export function createBatchHandler(
  deps: BatchHandlerDeps,
): (messages: Message[]) => Promise<Message[]> {
  return async function handleMessageBatch(messages) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new BatchTimeoutError(deps.batchTimeoutMs));
      }, deps.batchTimeoutMs);
    });
    try {
      return await Promise.race([processBatch(deps, messages), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function processBatch(
  deps: BatchHandlerDeps,
  messages: readonly Message[],
): Promise<Message[]> {
  const startedAt = deps.clock();
  const batch = decodeBatch(messages);
  const [rejected, accepted] = await Promise.all([
    settleRejected(deps, batch.rejected),
    settleAccepted(deps, batch.accepted),
  ]);
  const done = [...accepted.done, ...rejected.done];
  if (accepted.unavailable) deps.backoff?.failed();
  else if (done.length > 0) deps.backoff?.succeeded();
  const now = deps.clock();
  const metrics: BatchMetrics = {
    received: messages.length,
    stored: accepted.stored,
    duplicates: accepted.duplicates,
    rejected: rejected.rejected,
    alerted: accepted.alerted + rejected.alerted,
    deleted: done.length,
    retried: messages.length - done.length,
    ...latencyOf(accepted.acceptedAt, now),
    durationMs: now - startedAt,
  };
  deps.logger.info({ metrics }, 'batch');
  deps.onBatch?.(metrics);
  return done;
}
