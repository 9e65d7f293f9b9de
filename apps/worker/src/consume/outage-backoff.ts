import type { Clock } from '../clock';

/** Pauses before the next receive after consecutive outage batches; capped so /healthz stays green. */
export const OUTAGE_BACKOFF_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 15_000];

/**
 * Slows polling while PostgreSQL or DynamoDB is down. Every receive raises a message's receive
 * count, and maxReceiveCount receives dead-letter it: without a pause, an outage of a few
 * minutes would push healthy messages into the DLQ. Shared by every consumer of the process.
 */
export class OutageBackoff {
  #failures = 0;
  #pausedUntil = 0;

  readonly #clock: Clock;
  readonly #steps: readonly number[];

  constructor(clock: Clock, steps: readonly number[] = OUTAGE_BACKOFF_MS) {
    this.#clock = clock;
    this.#steps = steps;
  }

  /** A batch failed because a dependency is down. */
  failed(): void {
    const now = this.#clock();
    // Batches of other consumers that were already running fail too: one outage, one step.
    if (now < this.#pausedUntil) return;
    const step = this.#steps[Math.min(this.#failures, this.#steps.length - 1)] ?? 1_000;
    this.#failures += 1;
    this.#pausedUntil = now + step;
  }

  /** A batch got through: poll at full speed again. */
  succeeded(): void {
    this.#failures = 0;
    this.#pausedUntil = 0;
  }

  /** How long to wait before the next receive. */
  delayMs(): number {
    return Math.max(0, this.#pausedUntil - this.#clock());
  }
}
