import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@herald/observability';
import { createBatchHandler } from './consume/batch-handler';
import { addToTotals, type BatchTotals, emptyTotals } from './metrics/batch-metrics';
import { ChannelFlusher } from './metadata/channel-flusher';
import { ConsumerFleet } from './consume/consumer-fleet';
import { DlqObserver } from './dlq/dlq-observer';
import { OutageBackoff } from './consume/outage-backoff';
import type { HealthReport } from './health/health-server';
import type { AlertPublisher } from './alerts/alert-publisher';
import type { Clock } from './clock';
import type { ChannelSync } from './store/channel-sync';
import type { MessageStore } from './store/message-store';
import type { MetadataStore } from './metadata/metadata-store';

export interface WorkerDeps {
  /** Receives, deletes and heartbeats (built once per process, shared by every consumer). */
  readonly sqs: SQSClient;
  readonly store: MessageStore;
  /** PostgreSQL's channel totals and the record of what DynamoDB holds (the channel flusher). */
  readonly channels: ChannelSync;
  readonly metadata: MetadataStore;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  readonly clock?: Clock;
}

export interface WorkerOptions {
  readonly queueUrl: string;
  /** When set (and dlqObserveSeconds > 0), dead-lettered messages get a `dead_lettered` status. */
  readonly dlqUrl?: string;
  readonly consumers: number;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly heartbeatSeconds: number;
  readonly waitTimeSeconds: number;
  readonly batchTimeoutSeconds: number;
  readonly healthStallSeconds: number;
  readonly dlqObserveSeconds: number;
  /** How often channel totals are copied from PostgreSQL to DynamoDB (CHANNEL_FLUSH_MS). */
  readonly channelFlushMs: number;
  /** Pauses after consecutive outage batches (defaults to OUTAGE_BACKOFF_MS; tests shorten them). */
  readonly outageBackoffMs?: readonly number[];
}

export interface Worker {
  start(): void;
  /** Counters summed over every batch so far. */
  totals(): BatchTotals;
  health(): HealthReport;
  /** Stops polling and finishes the batches in hand; true when all settled before `deadline`. */
  drain(deadline: number): Promise<boolean>;
}

/** The worker service, from injected dependencies; no I/O until start(). */
export function createWorker(deps: WorkerDeps, options: WorkerOptions): Worker {
  const clock = deps.clock ?? Date.now;
  // Shared: an outage seen by one consumer's batch slows every consumer's receives.
  const backoff = new OutageBackoff(clock, options.outageBackoffMs);
  const totals = emptyTotals();
  const handleMessageBatch = createBatchHandler({
    ...deps,
    clock,
    backoff,
    onBatch: (metrics) => {
      addToTotals(totals, metrics);
    },
    batchTimeoutMs: options.batchTimeoutSeconds * 1000,
  });
  const fleet = new ConsumerFleet(
    { sqs: deps.sqs, handleMessageBatch, backoff, logger: deps.logger, clock },
    options,
  );
  // Channel totals leave the batch path: one DynamoDB write per changed channel per interval.
  const flusher = new ChannelFlusher(
    { channels: deps.channels, metadata: deps.metadata, logger: deps.logger, clock },
    { intervalMs: options.channelFlushMs },
  );
  const observer =
    options.dlqUrl && options.dlqObserveSeconds > 0
      ? new DlqObserver(
          { sqs: deps.sqs, metadata: deps.metadata, logger: deps.logger, clock },
          { dlqUrl: options.dlqUrl, intervalMs: options.dlqObserveSeconds * 1000 },
        )
      : undefined;
  let state: 'created' | 'running' | 'draining' = 'created';

  return {
    start() {
      state = 'running';
      fleet.start();
      flusher.start();
      observer?.start();
      deps.logger.info(
        {
          queueUrl: options.queueUrl,
          consumers: options.consumers,
          dlqObserver: observer !== undefined,
        },
        'worker started',
      );
    },
    totals() {
      return { ...totals };
    },
    health() {
      const consumers = fleet.health();
      if (state !== 'running') return { healthy: false, reason: `worker ${state}`, consumers };
      const stallMs = options.healthStallSeconds * 1000;
      const stopped = consumers.filter((consumer) => !consumer.running);
      const stalled = consumers.filter((consumer) => consumer.lastReceiveAgoMs > stallMs);
      if (stopped.length > 0)
        return {
          healthy: false,
          reason: `consumer ${stopped.map((c) => c.index).join(',')} stopped`,
          consumers,
        };
      if (stalled.length > 0) {
        const reason = `no successful receive for over ${options.healthStallSeconds}s (consumer ${stalled.map((c) => c.index).join(',')})`;
        return { healthy: false, reason, consumers };
      }
      return { healthy: true, consumers };
    },
    async drain(deadline) {
      state = 'draining';
      const [drained] = await Promise.all([fleet.drain(deadline), observer?.stop()]);
      // After the last batch: what it committed reaches DynamoDB before the process exits.
      const flushed = await flusher.stop(deadline);
      return drained && flushed;
    },
  };
}
