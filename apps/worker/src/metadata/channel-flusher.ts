import type { Logger } from '@herald/observability';
import type { Clock } from '../clock';
import { describeError } from '../errors';
import type { ChannelSync, ChannelTotals } from '../store/channel-sync';
import type { MetadataStore } from './metadata-store';

export interface ChannelFlusherDeps {
  /** PostgreSQL: which channels are ahead of DynamoDB, and the record of what it holds. */
  readonly channels: ChannelSync;
  readonly metadata: MetadataStore;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface ChannelFlusherOptions {
  /** Pause between two flushes (CHANNEL_FLUSH_MS). */
  readonly intervalMs: number;
  /** Channels read per flush; a full page is followed at once by the next. */
  readonly pageSize?: number;
}

export interface FlushResult {
  /** Channels PostgreSQL said were ahead (at most the page size). */
  readonly ahead: number;
  /** Written to DynamoDB (or found newer there) and recorded as synced. */
  readonly copied: number;
  /** Left ahead for the next flush: their DynamoDB write failed. */
  readonly failed: number;
}

const PAGE_SIZE = 500;
/** PutItem calls in flight at once: within the SDK's default socket pool of 50. */
const WRITE_CONCURRENCY = 25;

/**
 * Copies PostgreSQL's absolute channel totals to DynamoDB every interval, for the channels whose
 * count is ahead of what DynamoDB was last recorded to hold, then records what it copied. One
 * write per changed channel per interval, however many batches touched it: about 1 DynamoDB
 * write unit per message instead of 2 when batches spread over many channels.
 *
 * Crash-proof because the record lives in PostgreSQL, not in this process: a batch commits its
 * count and leaves the channel ahead in the same transaction; whatever dies afterwards, the next
 * flush of any worker finds it. Writes are absolute and never move DynamoDB backwards, so a copy
 * repeated after a crash, or made by two workers at once, is harmless (docs/invariants.md#3).
 */
export class ChannelFlusher {
  readonly #deps: ChannelFlusherDeps;
  readonly #intervalMs: number;
  readonly #pageSize: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #round: Promise<void> = Promise.resolve();

  constructor(deps: ChannelFlusherDeps, options: ChannelFlusherOptions) {
    this.#deps = deps;
    this.#intervalMs = options.intervalMs;
    this.#pageSize = options.pageSize ?? PAGE_SIZE;
  }

  /** Flushes at once (a predecessor may have died with channels ahead), then every interval. */
  start(): void {
    this.#running = true;
    this.#schedule(0);
  }

  /**
   * Stops the timer, waits for the flush in progress, then flushes until nothing is ahead, so a
   * clean shutdown leaves DynamoDB current. True when it got there before `deadline` (epoch ms).
   */
  async stop(deadline: number): Promise<boolean> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#round;
    while (this.#deps.clock() < deadline) {
      try {
        const result = await this.flush();
        if (result.failed > 0) return false;
        if (result.ahead < this.#pageSize) return true;
      } catch (error) {
        this.#deps.logger.warn(
          { err: describeError(error) },
          'final channel flush failed; the next worker copies what is left',
        );
        return false;
      }
    }
    return false;
  }

  /** One page: read what is ahead, write it to DynamoDB, record what got there. */
  async flush(): Promise<FlushResult> {
    const { channels, metadata, logger, clock } = this.#deps;
    const ahead = await channels.unsynced(this.#pageSize);
    if (ahead.length === 0) return { ahead: 0, copied: 0, failed: 0 };
    const now = new Date(clock());
    const copied: ChannelTotals[] = [];
    const failures: unknown[] = [];
    for (let start = 0; start < ahead.length; start += WRITE_CONCURRENCY) {
      await Promise.all(
        ahead.slice(start, start + WRITE_CONCURRENCY).map(async (totals) => {
          try {
            // 'stale' means DynamoDB already holds a higher count: recorded as synced too.
            await metadata.putChannelTotals(totals, now);
            copied.push(totals);
          } catch (error) {
            failures.push(error);
          }
        }),
      );
    }
    if (failures.length > 0) {
      logger.warn(
        { failed: failures.length, ahead: ahead.length, err: describeError(failures[0]) },
        'channel totals not copied to DynamoDB; the next flush retries them',
      );
    }
    await channels.markSynced(copied);
    return { ahead: ahead.length, copied: copied.length, failed: failures.length };
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#round = this.#tick();
    }, delayMs);
  }

  async #tick(): Promise<void> {
    let full = false;
    try {
      const result = await this.flush();
      full = result.ahead === this.#pageSize && result.failed === 0;
    } catch (error) {
      this.#deps.logger.warn(
        { err: describeError(error) },
        'channel flush failed; retrying at the next interval',
      );
    }
    this.#schedule(full ? 0 : this.#intervalMs);
  }
}
