import type { OpsPoint, OpsReading, OpsSnapshot, OpsSource, SettledMessage } from './ops-types';

/** How far back the charts reach. */
export const HISTORY_MS = 15 * 60 * 1000;
/** Rates are averaged over this window (one-second counts are too jumpy to read). */
const RATE_WINDOW_S = 5;
const LATENCY_WINDOW_MS = 60_000;

interface DepthPoint {
  readonly t: number;
  readonly depth: number;
  readonly inFlight: number;
  readonly dlqDepth: number;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** For each second `t` of `points`, how many of `times` (epoch s, sorted) fall in (t - window, t]. */
function windowCounts(points: readonly number[], times: readonly number[]): number[] {
  let low = 0;
  let high = 0;
  return points.map((t) => {
    while (high < times.length && (times[high] ?? 0) <= t) high += 1;
    while (low < high && (times[low] ?? 0) <= t - RATE_WINDOW_S) low += 1;
    return Math.round(((high - low) / RATE_WINDOW_S) * 100) / 100;
  });
}

/**
 * Reads a source every `intervalMs` and keeps 15 minutes of it: queue depths per tick and every
 * settled message. Rates are recomputed from the settled messages on each snapshot, so
 * accepted/s (placed by the accept time in each id) fills in as the worker catches up.
 */
export class OpsSampler {
  private readonly depths: DepthPoint[] = [];
  private readonly settled = new Map<string, SettledMessage>();
  private latest: OpsReading | undefined;
  private error: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly source: OpsSource,
    private readonly intervalMs = 1000,
  ) {}

  /** Starts reading (the first read at once). Idempotent. */
  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    // A sampler never keeps a process alive on its own.
    this.timer.unref();
  }

  /** Stops reading and waits for a read under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** Reads once now (skipped when a read is still under way). */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.read().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async read(): Promise<void> {
    try {
      this.record(await this.source.read());
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  private record(reading: OpsReading): void {
    this.latest = reading;
    const horizon = reading.at - HISTORY_MS;
    for (const message of reading.settled) this.settled.set(message.id, message);
    for (const [id, message] of this.settled)
      if (message.storedAt < horizon) this.settled.delete(id);
    this.depths.push({
      t: Math.floor(reading.at / 1000),
      depth: reading.queue.visible,
      inFlight: reading.queue.inFlight,
      dlqDepth: reading.dlq.visible,
    });
    while ((this.depths[0]?.t ?? Infinity) * 1000 < horizon) this.depths.shift();
  }

  /** Everything the page shows, as of the latest reading. */
  snapshot(): OpsSnapshot {
    const latest = this.latest;
    const empty = { visible: 0, inFlight: 0, delayed: 0, oldestAgeSeconds: 0 };
    const now = latest?.at ?? Date.now();
    const messages = [...this.settled.values()];
    const seconds = (values: (number | undefined)[]) =>
      values
        .filter((value): value is number => value !== undefined)
        .map((value) => value / 1000)
        .sort((a, b) => a - b);
    const ticks = this.depths.map((point) => point.t);
    const accepted = windowCounts(ticks, seconds(messages.map((m) => m.acceptedAt)));
    const stored = windowCounts(ticks, seconds(messages.map((m) => m.storedAt)));
    const history: OpsPoint[] = this.depths.map((point, index) => ({
      ...point,
      acceptedPerSecond: accepted[index] ?? 0,
      storedPerSecond: stored[index] ?? 0,
    }));
    const latencies = messages
      .filter((m) => m.acceptedAt !== undefined && m.storedAt > now - LATENCY_WINDOW_MS)
      .map((m) => Math.max(0, m.storedAt - (m.acceptedAt ?? m.storedAt)))
      .sort((a, b) => a - b);
    const last = history.at(-1);
    return {
      label: this.source.label,
      at: new Date(now).toISOString(),
      queue: latest?.queue ?? empty,
      dlq: latest?.dlq ?? empty,
      acceptedPerSecond: last?.acceptedPerSecond ?? 0,
      storedPerSecond: last?.storedPerSecond ?? 0,
      latency: {
        p50Ms: quantile(latencies, 0.5),
        p99Ms: quantile(latencies, 0.99),
        count: latencies.length,
      },
      storedLast15Minutes: messages.length,
      alarms: latest?.alarms ?? [],
      mailbox: latest?.mailbox ?? [],
      history,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }
}
