/** Counts of one batch, logged as `{"msg":"batch","metrics":{…}}` for CloudWatch metric filters. */
export interface BatchMetrics {
  readonly received: number;
  /** Rows inserted into PostgreSQL. */
  readonly stored: number;
  /** Valid messages already stored (redeliveries, repeated ids). */
  readonly duplicates: number;
  readonly rejected: number;
  /** Alerts published and recorded. */
  readonly alerted: number;
  /** Messages returned for deletion. */
  readonly deleted: number;
  /** Messages left on the queue for redelivery. */
  readonly retried: number;
  /** Time from acceptedAt (ingest) to settled, over the settled valid messages. */
  readonly latencyP50Ms: number;
  readonly latencyMaxMs: number;
  /** Wall time of the handler. */
  readonly durationMs: number;
}

/** Nearest-rank percentile; 0 for no samples. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Latency p50 and max in ms of messages accepted at `acceptedAt` and settled at `now`. */
export function latencyOf(
  acceptedAt: readonly number[],
  now: number,
): { latencyP50Ms: number; latencyMaxMs: number } {
  const latencies = acceptedAt.filter(Number.isFinite).map((at) => Math.max(0, now - at));
  return {
    latencyP50Ms: percentile(latencies, 0.5),
    latencyMaxMs: latencies.length ? Math.max(...latencies) : 0,
  };
}

/** Sums of the counters of every batch since the process started. */
export type BatchTotals = Record<
  'batches' | 'received' | 'stored' | 'duplicates' | 'rejected' | 'alerted' | 'deleted' | 'retried',
  number
>;

export function emptyTotals(): BatchTotals {
  return {
    batches: 0,
    received: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    alerted: 0,
    deleted: 0,
    retried: 0,
  };
}

export function addToTotals(totals: BatchTotals, metrics: BatchMetrics): void {
  totals.batches += 1;
  totals.received += metrics.received;
  totals.stored += metrics.stored;
  totals.duplicates += metrics.duplicates;
  totals.rejected += metrics.rejected;
  totals.alerted += metrics.alerted;
  totals.deleted += metrics.deleted;
  totals.retried += metrics.retried;
}
