import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Why a request was refused: too many already in flight, or the event loop is behind. */
export type ShedReason = 'in_flight' | 'event_loop_delay';

/** The answer to one request's arrival: admitted (call `release` once it is answered) or shed. */
export type Admission =
  | { readonly admitted: true; release(): void }
  | { readonly admitted: false; readonly reason: ShedReason };

/** Where the shedder reads the event loop's delay (perf_hooks in production, a fake in tests). */
export interface EventLoopDelaySource {
  /** The mean delay in ms since the previous call (then starts a new window). */
  takeMeanMs(): number;
  close(): void;
}

export interface OverloadShedderOptions {
  /** Requests admitted at once; the next one is shed. */
  readonly maxInFlight: number;
  /** Shed every request while the event loop's mean delay over the last window exceeds this; 0 disables. */
  readonly maxEventLoopDelayMs: number;
  /** How often the event loop delay is read (one window). */
  readonly sampleIntervalMs?: number;
  readonly delaySource?: EventLoopDelaySource;
}

/** The event loop's delay from `perf_hooks.monitorEventLoopDelay`, in windows. */
export function perfHooksDelaySource(resolutionMs = 10): EventLoopDelaySource {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    takeMeanMs() {
      // Every sample includes the timer's own resolution, as @fastify/under-pressure notes.
      const mean = Number.isNaN(histogram.mean) ? 0 : histogram.mean / 1e6 - resolutionMs;
      histogram.reset();
      return Math.max(0, mean);
    },
    close() {
      histogram.disable();
    },
  };
}

/**
 * Bounds the ingest's work in flight so a burst is refused at once (503 + Retry-After) instead
 * of queued until clients time out: a cap on concurrent requests, and a bound on the event loop
 * delay (a CPU-starved process answers late even below the cap). Admission is O(1) and does no
 * I/O, so a shed request costs little more than its HTTP parse.
 */
export class OverloadShedder {
  readonly maxInFlight: number;
  readonly maxEventLoopDelayMs: number;
  #inFlight = 0;
  #delayMs = 0;
  #shed: Record<ShedReason, number> = { in_flight: 0, event_loop_delay: 0 };
  #source: EventLoopDelaySource | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: OverloadShedderOptions) {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new RangeError(`maxInFlight must be an integer ≥ 1, got ${options.maxInFlight}`);
    if (!Number.isFinite(options.maxEventLoopDelayMs) || options.maxEventLoopDelayMs < 0)
      throw new RangeError(
        `maxEventLoopDelayMs must be ≥ 0 (0 disables it), got ${options.maxEventLoopDelayMs}`,
      );
    const intervalMs = options.sampleIntervalMs ?? 500;
    if (!Number.isInteger(intervalMs) || intervalMs < 1)
      throw new RangeError(`sampleIntervalMs must be an integer ≥ 1, got ${intervalMs}`);
    this.maxInFlight = options.maxInFlight;
    this.maxEventLoopDelayMs = options.maxEventLoopDelayMs;
    if (this.maxEventLoopDelayMs > 0) {
      const source = options.delaySource ?? perfHooksDelaySource();
      this.#source = source;
      this.#timer = setInterval(() => {
        this.#delayMs = source.takeMeanMs();
      }, intervalMs);
      // The sampler must not keep a draining process alive.
      this.#timer.unref();
    }
  }

  /** Admits the request or says why not; an admitted one must be released exactly once. */
  admit(): Admission {
    if (this.#inFlight >= this.maxInFlight) return this.#refuse('in_flight');
    if (this.maxEventLoopDelayMs > 0 && this.#delayMs > this.maxEventLoopDelayMs)
      return this.#refuse('event_loop_delay');
    this.#inFlight += 1;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
      },
    };
  }

  /** Requests admitted and not yet answered, the last event loop delay read, and sheds so far. */
  snapshot(): { inFlight: number; eventLoopDelayMs: number; shed: Record<ShedReason, number> } {
    return { inFlight: this.#inFlight, eventLoopDelayMs: this.#delayMs, shed: { ...this.#shed } };
  }

  /** Stops sampling the event loop (tests; a process that exits needs not). */
  close(): void {
    clearInterval(this.#timer);
    this.#source?.close();
  }

  #refuse(reason: ShedReason): Admission {
    this.#shed[reason] += 1;
    return { admitted: false, reason };
  }
}
