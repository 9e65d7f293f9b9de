import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@herald/observability';
import { Consumer } from 'sqs-consumer';
import { describeError } from '../errors';
import type { OutageBackoff } from './outage-backoff';
import type { Clock } from '../clock';

export interface FleetOptions {
  readonly queueUrl: string;
  /** Consumers in this process; each holds up to `batchSize` messages in flight. */
  readonly consumers: number;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly heartbeatSeconds: number;
  readonly waitTimeSeconds: number;
}

export interface FleetDeps {
  readonly sqs: SQSClient;
  /** Pauses receives while a dependency is down (shared with the batch handler). */
  readonly backoff?: OutageBackoff;
  readonly handleMessageBatch: (messages: Message[]) => Promise<Message[]>;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface ConsumerHealth {
  readonly index: number;
  readonly running: boolean;
  /** Batches handed to the handler whose deletes have not finished yet. */
  readonly inFlight: number;
  readonly lastReceiveAgoMs: number;
}

/** Backoff after a failed receive (sqs-consumer alone re-polls at once on network errors). */
const RECEIVE_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000] as const;

interface MemberState {
  inFlight: number;
  lastReceiveAt: number;
  receiveFailures: number;
}

interface Member {
  readonly index: number;
  readonly consumer: Consumer;
  readonly state: MemberState;
}

/**
 * Several sqs-consumer instances on one queue, so more than 10 messages are in flight per
 * process. sqs-consumer deletes what the handler returns and heartbeats visibility while a batch
 * runs; the fleet adds liveness (last successful receive) and a drain that waits for batches in
 * hand, deletes included.
 */
export class ConsumerFleet {
  readonly #members: Member[];
  /** Aborted by drain(): wakes consumers paused by the outage backoff. */
  readonly #wake = new AbortController();

  readonly #deps: FleetDeps;
  readonly #options: FleetOptions;

  constructor(deps: FleetDeps, options: FleetOptions) {
    this.#deps = deps;
    this.#options = options;
    const now = deps.clock();
    this.#members = Array.from({ length: options.consumers }, (_, index) =>
      this.#createMember(index, now),
    );
  }

  start(): void {
    const now = this.#deps.clock();
    for (const member of this.#members) {
      member.state.lastReceiveAt = now;
      member.consumer.start();
    }
  }

  health(): ConsumerHealth[] {
    const now = this.#deps.clock();
    return this.#members.map((member) => ({
      index: member.index,
      running: member.consumer.status.isRunning,
      inFlight: member.state.inFlight,
      lastReceiveAgoMs: now - member.state.lastReceiveAt,
    }));
  }

  /**
   * Stops polling, waits until the batches in hand are handled and deleted, then cancels the
   * idle long polls. Resolves true when everything settled before `deadline` (epoch ms).
   */
  async drain(deadline: number): Promise<boolean> {
    for (const member of this.#members) member.consumer.stop();
    this.#wake.abort();
    const idle = (): boolean => this.#members.every((member) => member.state.inFlight === 0);
    await waitFor(idle, deadline, this.#deps.clock);
    // Whatever still polls is a long poll with nothing in hand: cancel it.
    for (const member of this.#members) member.consumer.abortController.abort();
    const settled = (): boolean =>
      idle() && this.#members.every((member) => !member.consumer.status.isPolling);
    return waitFor(settled, deadline, this.#deps.clock);
  }

  #createMember(index: number, now: number): Member {
    const options = this.#options;
    const deps = this.#deps;
    const logger = deps.logger.child({ consumer: index });
    const state: MemberState = { inFlight: 0, lastReceiveAt: now, receiveFailures: 0 };
    const consumer = Consumer.create({
      queueUrl: options.queueUrl,
      sqs: deps.sqs,
      batchSize: options.batchSize,
      visibilityTimeout: options.visibilityTimeoutSeconds,
      heartbeatInterval: options.heartbeatSeconds,
      waitTimeSeconds: options.waitTimeSeconds,
      messageAttributeNames: ['traceparent', 'tracestate'],
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      shouldDeleteMessages: true,
      alwaysAcknowledge: false,
      strictReturn: true,
      handleMessageBatch: (messages) => {
        state.inFlight += 1;
        return deps.handleMessageBatch(messages);
      },
      preReceiveMessageCallback: () => pause(deps.backoff?.delayMs() ?? 0, this.#wake.signal),
      postReceiveMessageCallback: () => {
        state.lastReceiveAt = deps.clock();
        if (state.receiveFailures > 0) {
          state.receiveFailures = 0;
          consumer.updateOption('pollingWaitTimeMs', 0);
        }
        return Promise.resolve();
      },
    });
    // Fires once the batch's handler AND its delete have finished (even when either failed).
    consumer.on('response_processed', () => {
      state.inFlight = Math.max(0, state.inFlight - 1);
    });
    consumer.on('error', (error, messages) => {
      const sqsMessageIds = toArray(messages).map((message) => message.MessageId);
      if (sqsMessageIds.length === 0) this.#onReceiveError(consumer, state, error, logger);
      else
        logger.error(
          { err: describeError(error), sqsMessageIds },
          'batch failed; its messages will be redelivered',
        );
    });
    consumer.on('processing_error', (error, message) => {
      logger.error(
        { err: describeError(error), sqsMessageId: message.MessageId },
        'message processing failed',
      );
    });
    consumer.on('timeout_error', (error, message) => {
      logger.error(
        { err: describeError(error), sqsMessageId: message.MessageId },
        'message handler timed out',
      );
    });
    consumer.on('started', () => {
      logger.info('consumer started');
    });
    consumer.on('stopped', () => {
      logger.info('consumer stopped polling');
    });
    return { index, consumer, state };
  }

  #onReceiveError(consumer: Consumer, state: MemberState, error: Error, logger: Logger): void {
    if (!consumer.status.isRunning) {
      logger.debug({ err: describeError(error) }, 'receive cancelled by shutdown');
      return;
    }
    const backoff =
      RECEIVE_BACKOFF_MS[Math.min(state.receiveFailures, RECEIVE_BACKOFF_MS.length - 1)] ?? 1_000;
    state.receiveFailures += 1;
    consumer.updateOption('pollingWaitTimeMs', backoff);
    logger.error({ err: describeError(error), retryInMs: backoff }, 'receive failed');
  }
}

function toArray(messages: Message | Message[] | undefined): Message[] {
  if (messages === undefined) return [];
  return Array.isArray(messages) ? messages : [messages];
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Polls `condition` every 50 ms until it holds (true) or `deadline` passes (false). */
async function waitFor(condition: () => boolean, deadline: number, clock: Clock): Promise<boolean> {
  while (!condition()) {
    if (clock() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
