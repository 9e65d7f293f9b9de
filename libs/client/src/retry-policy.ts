/** Bounds of the client's retries. */
export interface RetryOptions {
  /** Requests per call, the first one included (1 disables retries). */
  readonly maxAttempts: number;
  /** No retry starts, and no wait is begun, that would end past this many ms after the first request. */
  readonly maxElapsedMs: number;
  /** First backoff ceiling; it doubles with every attempt. */
  readonly baseDelayMs: number;
  /** Highest backoff ceiling. `Retry-After` is honoured even above it. */
  readonly maxDelayMs: number;
}

/**
 * Full-jitter exponential backoff (uniform in [0, min(max, base × 2^(attempt-1))]): clients that
 * failed together do not retry together.
 *
 * @param attempt the attempt that just failed, from 1
 */
export function backoffDelayMs(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP date (it names a day or month): Date.parse also takes "-1" or "1.5".
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
