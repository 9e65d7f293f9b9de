/** Least-squares slope of `value` over `atMs`, in value units per minute; 0 for under 2 points. */
export function slopePerMinute(samples: readonly { atMs: number; value: number }[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanX = samples.reduce((sum, sample) => sum + sample.atMs, 0) / n;
  const meanY = samples.reduce((sum, sample) => sum + sample.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.atMs - meanX) * (sample.value - meanY);
    variance += (sample.atMs - meanX) ** 2;
  }
  return variance === 0 ? 0 : (covariance / variance) * 60_000;
}
